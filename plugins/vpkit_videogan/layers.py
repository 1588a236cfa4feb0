"""Layer stacks shared by the VideoGAN generators: x2 upsampling levels, trunks, pixel heads, encoders.

Each x2 upsampling is either the paper's stride-2 transposed convolution (kernel 4) or, with
``mode="resize"``, a nearest-neighbour x2 resize followed by a stride-1 convolution (kernel 3),
which cannot make the checkerboard and stripe artefacts of uneven kernel overlap
(Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016).
"""

from __future__ import annotations

from torch import nn

from vpkit_videogan.declarations import UpsampleMode

_UP = {
    2: (nn.ConvTranspose2d, nn.BatchNorm2d),
    3: (nn.ConvTranspose3d, nn.BatchNorm3d),
}
_CONV = {2: nn.Conv2d, 3: nn.Conv3d}


def double(dims: int, c_in: int, c_out: int, mode: UpsampleMode = "transposed", bias: bool = True) -> list[nn.Module]:
    """The layers that double every axis of a ``dims``-D volume while mapping ``c_in`` to ``c_out`` channels."""
    if mode == "transposed":
        return [_UP[dims][0](c_in, c_out, 4, 2, 1, bias=bias)]
    return [nn.Upsample(scale_factor=2, mode="nearest"), _CONV[dims](c_in, c_out, 3, 1, 1, bias=bias)]


def upsample(dims: int, channels: list[int], mode: UpsampleMode = "transposed") -> list[nn.Module]:
    """One x2 upsampling (see :func:`double`), batch norm and ReLU per consecutive pair of ``channels``."""
    norm = _UP[dims][1]
    layers: list[nn.Module] = []
    for c_in, c_out in zip(channels, channels[1:], strict=False):
        layers += [*double(dims, c_in, c_out, mode, bias=False), norm(c_out), nn.ReLU(True)]
    return layers


def trunk(
    dims: int, c_in: int, channels: list[int], first_kernel: tuple[int, ...], mode: UpsampleMode = "transposed"
) -> nn.Sequential:
    """``c_in`` -> ``channels[0]`` through one stride-1 ``first_kernel``, then :func:`upsample`."""
    conv, norm = _UP[dims]
    first = [conv(c_in, channels[0], first_kernel, bias=False), norm(channels[0]), nn.ReLU(True)]
    return nn.Sequential(*first, *upsample(dims, channels, mode))


def head(dims: int, c_in: int, c_out: int, activation: nn.Module, mode: UpsampleMode = "transposed") -> nn.Sequential:
    """The last x2 upsampling straight to pixels (no batch norm, so it keeps its bias); its
    convolution is ``head[-2]``, just before ``activation``."""
    return nn.Sequential(*double(dims, c_in, c_out, mode), activation)


def encoder(channels: list[int], c_in: int = 3) -> nn.Sequential:
    """An image of ``c_in`` channels (3, or 3 per frame of stacked frames) -> ``channels[-1]``,
    halving height and width once per entry.

    As in the reference code: no batch norm on the layer that sees pixels, batch norm with
    eps 1e-3 on the others, ReLU throughout.
    """
    layers: list[nn.Module] = [nn.Conv2d(c_in, channels[0], 4, 2, 1), nn.ReLU(True)]
    for c_in, c_out in zip(channels, channels[1:], strict=False):
        layers += [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out, eps=1e-3), nn.ReLU(True)]
    return nn.Sequential(*layers)
