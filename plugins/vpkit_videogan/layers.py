"""Layer stacks shared by the VideoGAN generators: x2 upsampling levels, trunks, pixel heads, encoders."""

from __future__ import annotations

from torch import nn

_UP = {
    2: (nn.ConvTranspose2d, nn.BatchNorm2d),
    3: (nn.ConvTranspose3d, nn.BatchNorm3d),
}


def upsample(dims: int, channels: list[int]) -> list[nn.Module]:
    """One x2 transposed convolution, batch norm and ReLU per consecutive pair of ``channels``."""
    conv, norm = _UP[dims]
    layers: list[nn.Module] = []
    for c_in, c_out in zip(channels, channels[1:]):
        layers += [conv(c_in, c_out, 4, 2, 1, bias=False), norm(c_out), nn.ReLU(True)]
    return layers


def trunk(dims: int, c_in: int, channels: list[int], first_kernel: tuple[int, ...]) -> nn.Sequential:
    """``c_in`` -> ``channels[0]`` through one stride-1 ``first_kernel``, then :func:`upsample`."""
    conv, norm = _UP[dims]
    first = [conv(c_in, channels[0], first_kernel, bias=False), norm(channels[0]), nn.ReLU(True)]
    return nn.Sequential(*first, *upsample(dims, channels))


def head(dims: int, c_in: int, c_out: int, activation: nn.Module) -> nn.Sequential:
    """The last x2 upsampling straight to pixels (no batch norm, so it keeps its bias)."""
    conv, _ = _UP[dims]
    return nn.Sequential(conv(c_in, c_out, 4, 2, 1), activation)


def encoder(channels: list[int]) -> nn.Sequential:
    """An image (3 channels) -> ``channels[-1]``, halving height and width once per entry.

    As in the reference code: no batch norm on the layer that sees pixels, batch norm with
    eps 1e-3 on the others, ReLU throughout.
    """
    layers: list[nn.Module] = [nn.Conv2d(3, channels[0], 4, 2, 1), nn.ReLU(True)]
    for c_in, c_out in zip(channels, channels[1:]):
        layers += [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out, eps=1e-3), nn.ReLU(True)]
    return nn.Sequential(*layers)
