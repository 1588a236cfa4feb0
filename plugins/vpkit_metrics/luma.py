"""What SSIM and PSNR are computed on: 8-bit luma frames, one video at a time.

Videos in [-1, 1] are quantised to 8 bits (as a saved video would be), then converted to
luma with ITU-R BT.601 weights, Y = 0.2989 R + 0.5870 G + 0.1140 B
(``skvideo.utils.rgb2gray``), kept as floats on the 0-255 scale (data range 255).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import Metric, tensor_to_clips
from vpkit_metrics.paired import PerVideoScores, check_pair

WEIGHTS = np.array([0.2989, 0.5870, 0.1140])


def luma(videos: torch.Tensor) -> np.ndarray:
    """(B, 3, T, H, W) in [-1, 1] -> (B, T, H, W, 1) float64 luma in [0, 255]."""
    return (tensor_to_clips(videos).astype(np.float64) @ WEIGHTS)[..., None]


class LumaFrameMetric(PerVideoScores, Metric):
    """A paired metric scored per luma frame, averaged over frames, then over videos (its
    declaration subclasses ``declarations.LumaFrameDeclaration``)."""

    #: How the score was computed, reported beside it.
    convention: str

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.reset()

    def score_frames(self, real: np.ndarray, generated: np.ndarray) -> np.ndarray:
        """Per-frame scores of one video pair, each (T, H, W, 1) luma."""
        raise NotImplementedError

    def frame_scores(self, real: torch.Tensor, generated: torch.Tensor) -> np.ndarray:
        check_pair(real, generated)
        pairs = zip(luma(real), luma(generated), strict=True)
        return np.stack([np.asarray(self.score_frames(ref, dist), dtype=np.float64) for ref, dist in pairs])

    def describe(self) -> dict[str, Any]:
        return {"on": self.convention}
