"""What every paired metric checks first: each prediction has its own ground truth of the same shape."""

from __future__ import annotations

import torch


def check_pair(real: torch.Tensor, generated: torch.Tensor) -> None:
    if real.shape != generated.shape:
        raise ValueError(f"paired videos differ in shape: {tuple(real.shape)} and {tuple(generated.shape)}")
