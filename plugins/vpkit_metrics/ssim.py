"""SSIM (Wang et al. 2004) through ``skvideo.measure.ssim``: per luma frame, averaged.

scikit-video's conventions: Gaussian window of 11 taps with sigma 1.5, K1 = 0.01, K2 = 0.03,
data range 255, the 5-pixel border left out of the mean, and frames whose shorter side is
384 pixels or more averaged down by round(side / 256) first (``scaleFix``). The score is the
mean over frames, then over videos. Frames need more than 10 pixels a side.
"""

from __future__ import annotations

import numpy as np
import torch

from vpkit_metrics.declarations import SSIMDeclaration, check_ssim_size
from vpkit_metrics.luma import LumaFrameMetric
from vpkit_metrics.skvideo_compat import measure


class SSIM(SSIMDeclaration, LumaFrameMetric):
    convention = "8-bit luma (BT.601), data range 255, skvideo.measure.ssim"

    def frame_scores(self, real: torch.Tensor, generated: torch.Tensor) -> np.ndarray:
        check_ssim_size(min(real.shape[-2:]))
        return super().frame_scores(real, generated)

    def score_frames(self, real: np.ndarray, generated: np.ndarray) -> np.ndarray:
        return measure().ssim(real, generated)
