"""Layer stacks shared by the VideoGAN generators: x2 upsampling levels, trunks, pixel heads, encoders.

Each x2 upsampling is either the paper's transposed convolution (kernel 4, stride 2) or,
with ``mode="resize"``, a nearest-neighbour resize followed by a kernel-3 convolution
(Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016): every
output pixel then sees the same number of weights, so the stripes and checkerboards that a
transposed convolution's uneven overlap leaves do not appear.
"""

from __future__ import annotations

from torch import nn

from vpkit_videogan.declarations import UpsampleMode

_LAYERS = {
    2: (nn.ConvTranspose2d, nn.Conv2d, nn.BatchNorm2d),
    3: (nn.ConvTranspose3d, nn.Conv3d, nn.BatchNorm3d),
}


def up2(dims: int, c_in: int, c_out: int, mode: UpsampleMode, bias: bool) -> nn.Module:
    """One x2 upsampling of every axis from ``c_in`` to ``c_out`` channels, as ``mode`` says."""
    transposed, conv, _ = _LAYERS[dims]
    if mode == "transposed":
        return transposed(c_in, c_out, 4, 2, 1, bias=bias)
    return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), conv(c_in, c_out, 3, 1, 1, bias=bias))


def upsample(dims: int, channels: list[int], mode: UpsampleMode = "transposed") -> list[nn.Module]:
    """One x2 upsampling (:func:`up2`), batch norm and ReLU per consecutive pair of ``channels``."""
    _, _, norm = _LAYERS[dims]
    layers: list[nn.Module] = []
    for c_in, c_out in zip(channels, channels[1:]):
        layers += [up2(dims, c_in, c_out, mode, bias=False), norm(c_out), nn.ReLU(True)]
    return layers


def trunk(dims: int, c_in: int, channels: list[int], first_kernel: tuple[int, ...],
          mode: UpsampleMode = "transposed") -> nn.Sequential:
    """``c_in`` -> ``channels[0]`` through one stride-1 ``first_kernel``, then :func:`upsample`."""
    transposed, _, norm = _LAYERS[dims]
    first = [transposed(c_in, channels[0], first_kernel, bias=False), norm(channels[0]), nn.ReLU(True)]
    return nn.Sequential(*first, *upsample(dims, channels, mode))


def head(dims: int, c_in: int, c_out: int, activation: nn.Module, mode: UpsampleMode = "transposed") -> nn.Sequential:
    """The last x2 upsampling straight to pixels (no batch norm, so it keeps its bias)."""
    return nn.Sequential(up2(dims, c_in, c_out, mode, bias=True), activation)


def encoder(channels: list[int]) -> nn.Sequential:
    """An image (3 channels) -> ``channels[-1]``, halving height and width once per entry.

    As in the reference code: no batch norm on the layer that sees pixels, batch norm with
    eps 1e-3 on the others, ReLU throughout.
    """
    layers: list[nn.Module] = [nn.Conv2d(3, channels[0], 4, 2, 1), nn.ReLU(True)]
    for c_in, c_out in zip(channels, channels[1:]):
        layers += [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out, eps=1e-3), nn.ReLU(True)]
    return nn.Sequential(*layers)
