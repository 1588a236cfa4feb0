"""What every paired metric shares: each prediction has its own ground truth of the same shape,
each frame gets a score (:meth:`frame_scores`, which the evaluation uses for its K samples and
curves), and the value is a mean of per-video scores, whose interval comes from resampling the videos."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import bootstrap_interval


def check_pair(real: torch.Tensor, generated: torch.Tensor) -> None:
    if real.shape != generated.shape:
        raise ValueError(f"paired videos differ in shape: {tuple(real.shape)} and {tuple(generated.shape)}")


class PerVideoScores:
    """The part of a paired metric that keeps one score per video: the value is their mean, its
    interval comes from resampling the videos, and a shard (see ``Metric.shard_state``) is the
    scores themselves. Listed before the metric's other bases, so that these methods are the ones used."""

    name: str

    def reset(self) -> None:
        self._scores: list[float] = []

    def frame_scores(self, real: torch.Tensor, generated: torch.Tensor) -> np.ndarray:
        raise NotImplementedError

    def update(self, real: torch.Tensor, generated: torch.Tensor) -> None:
        self._scores.extend(self.frame_scores(real, generated).mean(axis=1).tolist())

    def compute(self) -> dict[str, Any]:
        return {**self.summary(), **self.describe()}

    def summary(self) -> dict[str, Any]:
        """The mean of the per-video scores, their number and spread: the start of ``compute``'s result."""
        if not self._scores:
            raise ValueError(f"{self.name.upper()} got no videos")
        return {
            self.name: float(np.mean(self._scores)),
            "videos": len(self._scores),
            "std": float(np.std(self._scores)),
        }

    def interval(self, resamples: int) -> dict[str, Any]:
        values = np.asarray(self._scores, dtype=np.float64)
        return bootstrap_interval(lambda i: float(values[i].mean()), (len(values),), resamples)

    def shard_state(self) -> dict[str, np.ndarray]:
        return {"scores": np.asarray(self._scores, dtype=np.float64)}

    def merge_shards(self, shards: list[dict[str, np.ndarray]]) -> None:
        self._scores = [float(score) for shard in shards for score in shard["scores"]]
