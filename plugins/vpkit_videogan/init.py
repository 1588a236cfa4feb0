"""Weight initialisation of the original VideoGAN code."""

from __future__ import annotations

from torch import nn

_CONVS = (nn.Conv2d, nn.Conv3d, nn.ConvTranspose2d, nn.ConvTranspose3d)
_NORMS = (nn.BatchNorm2d, nn.BatchNorm3d)


def init_weights(module: nn.Module) -> None:
    """Convolutions ~ N(0, 0.01), batch-norm scales ~ N(1, 0.02), all biases 0.

    Meant for ``model.apply(init_weights)``.
    """
    if isinstance(module, _CONVS):
        nn.init.normal_(module.weight, 0.0, 0.01)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, _NORMS):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
