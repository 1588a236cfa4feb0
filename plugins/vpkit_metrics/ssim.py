"""SSIM (Wang et al. 2004) through ``skvideo.measure.ssim``: per luma frame, averaged.

scikit-video's conventions: Gaussian window of 11 taps with sigma 1.5, K1 = 0.01, K2 = 0.03,
data range 255, the 5-pixel border left out of the mean, and frames whose shorter side is
384 pixels or more averaged down by round(side / 256) first (``scaleFix``). The score is the
mean over frames, then over videos. Frames need more than 10 pixels a side.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import ClipSpec, Metric
from vpkit_metrics.luma import check_pair, luma
from vpkit_metrics.skvideo_compat import measure

MIN_SIZE = 11


class SSIM(Metric):
    name = "ssim"
    paired = True
    lower_is_better = False

    @classmethod
    def check_clip(cls, config, clip: ClipSpec) -> None:
        if clip.size < MIN_SIZE:
            raise ValueError(f"SSIM needs frames of at least {MIN_SIZE} pixels, got {clip.size}")

    def __init__(self, config, clip: ClipSpec):
        super().__init__(config, clip)
        self.reset()

    def reset(self) -> None:
        self._scores: list[float] = []

    def update(self, real: torch.Tensor, generated: torch.Tensor) -> None:
        check_pair(real, generated)
        if min(real.shape[-2:]) < MIN_SIZE:
            raise ValueError(f"SSIM needs frames of at least {MIN_SIZE} pixels, got {tuple(real.shape[-2:])}")
        ssim = measure().ssim
        for ref, dist in zip(luma(real), luma(generated)):
            self._scores.append(float(np.mean(ssim(ref, dist))))

    def compute(self) -> dict[str, Any]:
        if not self._scores:
            raise ValueError("SSIM got no videos")
        return {self.name: float(np.mean(self._scores)), "videos": len(self._scores),
                "std": float(np.std(self._scores)), "on": "8-bit luma (BT.601), data range 255, skvideo.measure.ssim"}
