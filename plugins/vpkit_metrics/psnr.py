"""PSNR through ``skvideo.measure.psnr``: per luma frame, in dB, averaged.

PSNR = 10 log10(255² / MSE) for each frame (data range 255), then the mean over frames and
over videos (a mean of decibels, not the PSNR of the mean MSE). Each frame's PSNR is capped
at CAP_DB = 100 dB, so identical frames (MSE 0, infinite PSNR) count as 100 dB and a mean
stays finite. The cap binds only below MSE = 255² x 1e-10; one pixel off by one grey level
in a 64 x 64 frame is still 76 dB.
"""

from __future__ import annotations

import numpy as np

from vpkit_metrics.declarations import PSNRDeclaration
from vpkit_metrics.luma import LumaFrameMetric
from vpkit_metrics.skvideo_compat import measure

CAP_DB = 100.0


class PSNR(PSNRDeclaration, LumaFrameMetric):
    convention = f"8-bit luma (BT.601), data range 255, per-frame dB capped at {CAP_DB:g}"

    def score_frames(self, real: np.ndarray, generated: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            frames = measure().psnr(real, generated, bitdepth=8)
        return np.minimum(frames, CAP_DB)
