"""Inception-v1 inflated to 3-D (I3D, Carreira & Zisserman 2017), as used by FVD.

Module and parameter names follow the widely used PyTorch conversion of the TF-Hub
``i3d-kinetics-400`` model (``i3d_pretrained_400.pt`` of VideoGPT, TATS and cd-fvd, whose
naming comes from piergiaj/pytorch-i3d): ``Conv3d_1a_7x7.conv3d.weight``,
``Mixed_3b.b1b.bn.running_var``, ``logits.conv3d.bias`` and so on, so that file loads by
name and shape. Padding is TensorFlow's ``SAME`` (computed per input, front gets the smaller
half), as in the TF graph.

Batch norm uses eps = 1e-3, Sonnet's default and so the TF reference's; the VideoGPT copy
of this network uses 1e-5, which moves logits slightly. The converted file has no BN scale
in TF (``scale=False``); the conversion stores ones for it.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from vpkit_metrics.declarations import check_frames

NUM_CLASSES = 400
BN_EPS = 1e-3
INPUT_SIZE = 224


#: Inception block output widths: b0, b1a, b1b, b2a, b2b, b3b (TF-Hub I3D).
MIXED = {
    "Mixed_3b": (192, (64, 96, 128, 16, 32, 32)),
    "Mixed_3c": (256, (128, 128, 192, 32, 96, 64)),
    "Mixed_4b": (480, (192, 96, 208, 16, 48, 64)),
    "Mixed_4c": (512, (160, 112, 224, 24, 64, 64)),
    "Mixed_4d": (512, (128, 128, 256, 24, 64, 64)),
    "Mixed_4e": (512, (112, 144, 288, 32, 64, 64)),
    "Mixed_4f": (528, (256, 160, 320, 32, 128, 128)),
    "Mixed_5b": (832, (256, 160, 320, 32, 128, 128)),
    "Mixed_5c": (832, (384, 192, 384, 48, 128, 128)),
}


def same_padding(sizes, kernel, stride) -> list[tuple[int, int]]:
    """TensorFlow ``SAME`` padding, (front, back) for each axis of ``sizes`` (T, H, W): the output
    has ceil(size / stride) positions, and the front gets the smaller half."""
    pads = []
    for size, k, s in zip(sizes, kernel, stride, strict=True):
        total = max(k - (s if size % s == 0 else size % s), 0)
        pads.append((total // 2, total - total // 2))
    return pads


def padded(x: torch.Tensor, pads: list[tuple[int, int]], value: float = 0.0) -> torch.Tensor:
    """A copy of ``x`` (B, C, T, H, W) with ``pads`` (front, back) of T, H and W around it."""
    return F.pad(x, [amount for front_back in reversed(pads) for amount in front_back], value=value)


class Unit3D(nn.Module):
    """Conv3d (SAME padding) + batch norm + ReLU; the logits layer has a bias and neither of the others."""

    def __init__(self, c_in: int, c_out: int, kernel=(1, 1, 1), stride=(1, 1, 1), logits: bool = False):
        super().__init__()
        self.kernel, self.stride, self.logits = tuple(kernel), tuple(stride), logits
        self.conv3d = nn.Conv3d(c_in, c_out, self.kernel, self.stride, bias=logits)
        if not logits:
            self.bn = nn.BatchNorm3d(c_out, eps=BN_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv3d(padded(x, same_padding(x.shape[2:], self.kernel, self.stride)))
        return x if self.logits else F.relu(self.bn(x))


class MaxPoolSame(nn.Module):
    """TensorFlow ``SAME`` max pooling: padding counts as -inf. Where the padding is symmetric (or
    one more at the back, which ``ceil_mode`` gives) the pool pads by itself, without a padded
    copy of the input; a maximum is exact either way, so both give the same numbers."""

    def __init__(self, kernel, stride):
        super().__init__()
        self.kernel, self.stride = tuple(kernel), tuple(stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        sizes = x.shape[2:]
        pads = same_padding(sizes, self.kernel, self.stride)
        fronts = [front for front, _ in pads]
        outputs = [math.ceil(size / s) for size, s in zip(sizes, self.stride, strict=True)]
        in_pool = [
            math.ceil((size + 2 * p - k) / s) + 1
            for size, p, k, s in zip(sizes, fronts, self.kernel, self.stride, strict=True)
        ]
        if in_pool == outputs and all(
            back - front in (0, 1) and 2 * front <= k for (front, back), k in zip(pads, self.kernel, strict=True)
        ):
            return F.max_pool3d(x, self.kernel, self.stride, fronts, ceil_mode=True)
        return F.max_pool3d(padded(x, pads, float("-inf")), self.kernel, self.stride)


class Inception(nn.Module):
    def __init__(self, c_in: int, widths: tuple[int, ...]):
        super().__init__()
        w0, w1a, w1b, w2a, w2b, w3b = widths
        self.b0 = Unit3D(c_in, w0)
        self.b1a = Unit3D(c_in, w1a)
        self.b1b = Unit3D(w1a, w1b, (3, 3, 3))
        self.b2a = Unit3D(c_in, w2a)
        self.b2b = Unit3D(w2a, w2b, (3, 3, 3))
        self.b3a = MaxPoolSame((3, 3, 3), (1, 1, 1))
        self.b3b = Unit3D(c_in, w3b)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.b0(x), self.b1b(self.b1a(x)), self.b2b(self.b2a(x)), self.b3b(self.b3a(x))], dim=1)


class InceptionI3d(nn.Module):
    """(B, 3, T, 224, 224) in [-1, 1] -> (B, 400) Kinetics logits averaged over time."""

    def __init__(self):
        super().__init__()
        self.Conv3d_1a_7x7 = Unit3D(3, 64, (7, 7, 7), (2, 2, 2))
        self.MaxPool3d_2a_3x3 = MaxPoolSame((1, 3, 3), (1, 2, 2))
        self.Conv3d_2b_1x1 = Unit3D(64, 64)
        self.Conv3d_2c_3x3 = Unit3D(64, 192, (3, 3, 3))
        self.MaxPool3d_3a_3x3 = MaxPoolSame((1, 3, 3), (1, 2, 2))
        self.Mixed_3b = Inception(*MIXED["Mixed_3b"])
        self.Mixed_3c = Inception(*MIXED["Mixed_3c"])
        self.MaxPool3d_4a_3x3 = MaxPoolSame((3, 3, 3), (2, 2, 2))
        for name in ("Mixed_4b", "Mixed_4c", "Mixed_4d", "Mixed_4e", "Mixed_4f"):
            setattr(self, name, Inception(*MIXED[name]))
        self.MaxPool3d_5a_2x2 = MaxPoolSame((2, 2, 2), (2, 2, 2))
        self.Mixed_5b = Inception(*MIXED["Mixed_5b"])
        self.Mixed_5c = Inception(*MIXED["Mixed_5c"])
        self.logits = Unit3D(1024, NUM_CLASSES, logits=True)

    @staticmethod
    def check_input(x: torch.Tensor) -> None:
        if x.dim() != 5 or x.shape[1] != 3:
            raise ValueError(f"I3D takes (B, 3, T, H, W), got {tuple(x.shape)}")
        check_frames(x.shape[2])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.check_input(x)
        for name, layer in self.named_children():
            if name == "logits":
                break
            x = layer(x)
        x = F.avg_pool3d(x, (2, 7, 7), stride=1)
        # Dropout sits here in training; it is the identity at inference.
        return self.logits(x).mean(dim=(2, 3, 4))
