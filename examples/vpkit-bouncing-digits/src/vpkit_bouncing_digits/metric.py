"""The ``motion_gap`` metric: does the generated video move as much as the real video?"""

from __future__ import annotations

import torch
from pydantic import Field

from vpkit import ClipSpec, Metric, Options


class MotionGap(Metric):
    """Absolute gap between the mean motion of generated and of real videos.

    A video's motion is the mean absolute change of its pixels from frame ``t`` to frame
    ``t + stride``, as a fraction of the full intensity range. A generator that paints still
    pictures scores the real videos' whole motion; one that flickers scores high too; 0 means
    as much motion as the real videos on average. It compares two sets, so it is not paired.
    """

    name = "motion_gap"
    paired = False
    lower_is_better = True

    class Config(Options):
        stride: int = Field(1, ge=1, description="Compare frame t with frame t + stride.")

    @classmethod
    def check_clip(cls, config: Config, clip: ClipSpec) -> None:
        if clip.frames <= config.stride:
            raise ValueError(f"needs more than stride={config.stride} frames, got {clip.frames}")

    def __init__(self, config: Config, clip: ClipSpec):
        super().__init__(config, clip)
        self.reset()

    def reset(self) -> None:
        self.sums = {"real": 0.0, "generated": 0.0}
        self.counts = {"real": 0, "generated": 0}

    def update(self, real: torch.Tensor, generated: torch.Tensor) -> None:
        for which, videos in (("real", real), ("generated", generated)):
            self.sums[which] += self.motion(videos).sum().item()
            self.counts[which] += videos.shape[0]

    def motion(self, videos: torch.Tensor) -> torch.Tensor:
        """Per-video motion of a batch (B, 3, T, H, W) in [-1, 1], in [0, 1]."""
        s = self.config.stride
        return (videos[:, :, s:] - videos[:, :, :-s]).abs().mean(dim=(1, 2, 3, 4)).double() / 2

    def compute(self) -> dict[str, float | int]:
        if not all(self.counts.values()):
            raise ValueError("motion_gap needs at least one real and one generated video")
        real, generated = (self.sums[w] / self.counts[w] for w in ("real", "generated"))
        return {
            self.name: abs(generated - real),
            "motion_real": real,
            "motion_generated": generated,
            "real_videos": self.counts["real"],
            "generated_videos": self.counts["generated"],
        }
