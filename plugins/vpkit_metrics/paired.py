"""What every paired metric shares: each prediction has its own ground truth of the same shape,
and the value is a mean of per-video scores, whose interval comes from resampling the videos."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import bootstrap_interval


def check_pair(real: torch.Tensor, generated: torch.Tensor) -> None:
    if real.shape != generated.shape:
        raise ValueError(f"paired videos differ in shape: {tuple(real.shape)} and {tuple(generated.shape)}")


def mean_interval(scores: list[float], resamples: int) -> dict[str, Any]:
    """The bootstrap interval of the mean of per-video ``scores``."""
    values = np.asarray(scores, dtype=np.float64)
    return bootstrap_interval(lambda i: float(values[i].mean()), (len(values),), resamples)
