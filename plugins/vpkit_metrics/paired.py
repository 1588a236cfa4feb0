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


def scores_shard(scores: list[float]) -> dict[str, np.ndarray]:
    """Per-video scores as a shard (see ``Metric.shard_state``)."""
    return {"scores": np.asarray(scores, dtype=np.float64)}


def merged_scores(shards: list[dict[str, np.ndarray]]) -> list[float]:
    """The per-video scores of every shard, in order."""
    return [float(score) for shard in shards for score in shard["scores"]]


def mean_interval(scores: list[float], resamples: int) -> dict[str, Any]:
    """The bootstrap interval of the mean of per-video ``scores``."""
    values = np.asarray(scores, dtype=np.float64)
    return bootstrap_interval(lambda i: float(values[i].mean()), (len(values),), resamples)
