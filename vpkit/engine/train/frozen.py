"""A network whose weights get no gradients for the passes made inside :func:`frozen`.

The generator's update needs the discriminator's gradient with respect to its input, not to its
weights. Computing those (and, on several processes, averaging them) is a third of the
discriminator's backward pass, thrown away by its next ``zero_grad``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from torch import nn


@contextlib.contextmanager
def frozen(module: nn.Module) -> Iterator[None]:
    """Passes through ``module`` inside are recorded without gradients for its weights; the
    backward pass may come after the block, as autograd keeps what it recorded."""
    trainable = [parameter for parameter in module.parameters() if parameter.requires_grad]
    for parameter in trainable:
        parameter.requires_grad_(False)
    try:
        yield
    finally:
        for parameter in trainable:
            parameter.requires_grad_(True)
