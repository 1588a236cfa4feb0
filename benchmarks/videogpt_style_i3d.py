"""The baseline for bench_fvd.py: a straightforward PyTorch I3D of the kind VideoGPT, TATS and
cd-fvd ship (after piergiaj/pytorch-i3d), written here for the comparison.

Per layer it does what those copies do: work out TF ``SAME`` padding for the input, pad a copy
(``F.pad``), convolve (or max-pool), run batch norm as its own pass, ReLU; Inception blocks
concatenate four branches; end points run in a loop over their names. Batch-norm eps is a
parameter: 1e-3 is the TF graph's (and vpkit's), 1e-5 the value VideoGPT's copy uses. It loads
``i3d_pretrained_400.pt`` state dicts by the same names as vpkit's network.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

ENDPOINTS = (
    "Conv3d_1a_7x7",
    "MaxPool3d_2a_3x3",
    "Conv3d_2b_1x1",
    "Conv3d_2c_3x3",
    "MaxPool3d_3a_3x3",
    "Mixed_3b",
    "Mixed_3c",
    "MaxPool3d_4a_3x3",
    "Mixed_4b",
    "Mixed_4c",
    "Mixed_4d",
    "Mixed_4e",
    "Mixed_4f",
    "MaxPool3d_5a_2x2",
    "Mixed_5b",
    "Mixed_5c",
)


def same_pad(x: torch.Tensor, kernel, stride) -> tuple[int, ...]:
    pads = []
    for size, k, s in zip(reversed(x.shape[2:]), reversed(kernel), reversed(stride), strict=False):
        total = max(k - s, 0) if size % s == 0 else max(k - size % s, 0)
        pads += [total // 2, total - total // 2]
    return tuple(pads)


class MaxPool3dSamePadding(nn.MaxPool3d):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(F.pad(x, same_pad(x, self.kernel_size, self.stride)))


class Unit3D(nn.Module):
    def __init__(
        self, c_in, c_out, kernel=(1, 1, 1), stride=(1, 1, 1), eps=1e-3, batch_norm=True, bias=False, relu=True
    ):
        super().__init__()
        self.kernel, self.stride, self.relu = kernel, stride, relu
        self.conv3d = nn.Conv3d(c_in, c_out, kernel, stride, padding=0, bias=bias)
        self.bn = nn.BatchNorm3d(c_out, eps=eps, momentum=0.01) if batch_norm else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv3d(F.pad(x, same_pad(x, self.kernel, self.stride)))
        if self.bn is not None:
            x = self.bn(x)
        return F.relu(x) if self.relu else x


class InceptionModule(nn.Module):
    def __init__(self, c_in, widths, eps):
        super().__init__()
        self.b0 = Unit3D(c_in, widths[0], eps=eps)
        self.b1a = Unit3D(c_in, widths[1], eps=eps)
        self.b1b = Unit3D(widths[1], widths[2], (3, 3, 3), eps=eps)
        self.b2a = Unit3D(c_in, widths[3], eps=eps)
        self.b2b = Unit3D(widths[3], widths[4], (3, 3, 3), eps=eps)
        self.b3a = MaxPool3dSamePadding(kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=0)
        self.b3b = Unit3D(c_in, widths[5], eps=eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.b0(x), self.b1b(self.b1a(x)), self.b2b(self.b2a(x)), self.b3b(self.b3a(x))], dim=1)


class VideoGPTStyleI3D(nn.Module):
    def __init__(self, eps: float = 1e-3, num_classes: int = 400):
        super().__init__()
        self.Conv3d_1a_7x7 = Unit3D(3, 64, (7, 7, 7), (2, 2, 2), eps=eps)
        self.MaxPool3d_2a_3x3 = MaxPool3dSamePadding(kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=0)
        self.Conv3d_2b_1x1 = Unit3D(64, 64, eps=eps)
        self.Conv3d_2c_3x3 = Unit3D(64, 192, (3, 3, 3), eps=eps)
        self.MaxPool3d_3a_3x3 = MaxPool3dSamePadding(kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=0)
        self.Mixed_3b = InceptionModule(192, (64, 96, 128, 16, 32, 32), eps)
        self.Mixed_3c = InceptionModule(256, (128, 128, 192, 32, 96, 64), eps)
        self.MaxPool3d_4a_3x3 = MaxPool3dSamePadding(kernel_size=(3, 3, 3), stride=(2, 2, 2), padding=0)
        self.Mixed_4b = InceptionModule(480, (192, 96, 208, 16, 48, 64), eps)
        self.Mixed_4c = InceptionModule(512, (160, 112, 224, 24, 64, 64), eps)
        self.Mixed_4d = InceptionModule(512, (128, 128, 256, 24, 64, 64), eps)
        self.Mixed_4e = InceptionModule(512, (112, 144, 288, 32, 64, 64), eps)
        self.Mixed_4f = InceptionModule(528, (256, 160, 320, 32, 128, 128), eps)
        self.MaxPool3d_5a_2x2 = MaxPool3dSamePadding(kernel_size=(2, 2, 2), stride=(2, 2, 2), padding=0)
        self.Mixed_5b = InceptionModule(832, (256, 160, 320, 32, 128, 128), eps)
        self.Mixed_5c = InceptionModule(832, (384, 192, 384, 48, 128, 128), eps)
        self.avg_pool = nn.AvgPool3d(kernel_size=(2, 7, 7), stride=(1, 1, 1))
        self.dropout = nn.Dropout(0.5)
        self.logits = Unit3D(1024, num_classes, batch_norm=False, bias=True, relu=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for name in ENDPOINTS:
            x = self._modules[name](x)
        x = self.logits(self.dropout(self.avg_pool(x)))
        return x.squeeze(3).squeeze(3).mean(2)
