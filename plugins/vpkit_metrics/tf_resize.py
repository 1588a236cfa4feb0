"""Bilinear resizing exactly as TF1's ``tf.image.resize_bilinear`` (the FVD reference's).

The reference resizes with ``align_corners=False`` and no half-pixel centres: output pixel
``i`` samples input position ``i * in / out``, with the upper neighbour clamped to the edge.
PyTorch's ``interpolate(..., align_corners=False)`` uses half-pixel centres instead, which
shifts the image by up to half a pixel, so this module builds the reference's interpolation
as two small matrices and applies them with matrix products.
"""

from __future__ import annotations

import torch


def resize_matrix(size_in: int, size_out: int, device=None) -> torch.Tensor:
    """(size_out, size_in) weights: row ``i`` blends the two inputs around ``i * size_in / size_out``."""
    position = torch.arange(size_out, dtype=torch.float64) * (size_in / size_out)
    low = position.floor().long().clamp(max=size_in - 1)
    high = (low + 1).clamp(max=size_in - 1)
    frac = position - low
    matrix = torch.zeros(size_out, size_in, dtype=torch.float64)
    rows = torch.arange(size_out)
    matrix.index_put_((rows, low), 1 - frac, accumulate=True)
    matrix.index_put_((rows, high), frac, accumulate=True)
    return matrix.float().to(device)


def resize_bilinear(frames: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Resize the last two axes of ``frames`` (..., H, W) to ``size`` (height, width)."""
    height, width = frames.shape[-2:]
    rows = resize_matrix(height, size[0], frames.device)
    cols = resize_matrix(width, size[1], frames.device)
    return rows @ frames @ cols.T
