"""A metric to start from: the mean absolute error between each prediction and its ground truth."""

from __future__ import annotations

from typing import Any

import torch

from vpkit import Metric


class MyMetric(Metric):
    """Paired (one ground truth per prediction), so it scores conditional models; lower is better."""

    name = "my_metric"
    paired = True
    lower_is_better = True

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.reset()

    def reset(self) -> None:
        self.total, self.videos = 0.0, 0

    def update(self, real: torch.Tensor, generated: torch.Tensor) -> None:
        if real.shape != generated.shape:
            raise ValueError(f"paired videos differ in shape: {tuple(real.shape)} and {tuple(generated.shape)}")
        self.total += (real - generated).abs().mean(dim=(1, 2, 3, 4)).sum().item()
        self.videos += real.shape[0]

    def compute(self) -> dict[str, Any]:
        if not self.videos:
            raise ValueError(f"{self.name} got no videos")
        return {self.name: self.total / self.videos, "videos": self.videos}
