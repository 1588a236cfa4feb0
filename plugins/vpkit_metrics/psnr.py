"""PSNR through ``skvideo.measure.psnr``: per luma frame, in dB, averaged.

PSNR = 10 log10(255² / MSE) for each frame (data range 255), then the mean over frames and
over videos (a mean of decibels, not the PSNR of the mean MSE). Each frame's PSNR is capped
at CAP_DB = 100 dB, so identical frames (MSE 0, infinite PSNR) count as 100 dB and a mean
stays finite. The cap binds only below MSE = 255² x 1e-10; one pixel off by one grey level
in a 64 x 64 frame is still 76 dB.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import Metric
from vpkit_metrics.luma import check_pair, luma
from vpkit_metrics.skvideo_compat import measure

CAP_DB = 100.0


class PSNR(Metric):
    name = "psnr"
    paired = True
    lower_is_better = False

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.reset()

    def reset(self) -> None:
        self._scores: list[float] = []

    def update(self, real: torch.Tensor, generated: torch.Tensor) -> None:
        check_pair(real, generated)
        psnr = measure().psnr
        for ref, dist in zip(luma(real), luma(generated)):
            with np.errstate(divide="ignore"):
                frames = psnr(ref, dist, bitdepth=8)
            self._scores.append(float(np.mean(np.minimum(frames, CAP_DB))))

    def compute(self) -> dict[str, Any]:
        if not self._scores:
            raise ValueError("PSNR got no videos")
        return {self.name: float(np.mean(self._scores)), "videos": len(self._scores),
                "std": float(np.std(self._scores)),
                "on": f"8-bit luma (BT.601), data range 255, per-frame dB capped at {CAP_DB:g}"}
