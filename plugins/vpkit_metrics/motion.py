"""Motion statistics: does the model move as much as the real clips? (the ``motion`` metric)

Computed on 8-bit frames (as a saved video would be), over the transitions into frames
``clip.context .. T-1`` of each clip: for a conditional model the moves it made itself (and
the step from the last context frame into its first prediction); with the default context 1
that is every transition of the clip, so an unconditional model is measured on all of them.

- **motion energy**: the mean absolute change of a pixel from one frame to the next, 0..255.
- **moving share**: the share of pixels that change by more than ``moving_above`` levels.
- **static samples**: the share of videos whose energy is below ``static_below`` times the
  median energy of the real clips.

The value is the ratio of the model's energy to the real clips' (1 is right: ``target``), and
the verdict reads it with the thresholds of :class:`vpkit_metrics.declarations.MotionConfig`:
*too still* below ``too_still`` (or a moving share below ``share_band``, or more than half the
samples static), *flickers* above ``flickers`` (or a moving share above the band), else *moves like
the real clips*: energy 0.7 to 1.3 times the real clips', moving share 0.5 to 2 times theirs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import bootstrap_interval
from vpkit_metrics.declarations import MotionDeclaration

STATISTIC = "mean |x[t+1] - x[t]| of 8-bit RGB, 0..255, over the transitions into frames context..T-1"
SIDES = ("real", "generated")


def transitions(videos: torch.Tensor, context: int, moving_above: float) -> tuple[np.ndarray, np.ndarray]:
    """Per video and transition: motion energy (B, n) and moving share (B, n), n = T - context."""
    levels = videos.float().add(1).mul(127.5).round().clamp(0, 255)
    start = max(context - 1, 0)
    change = (levels[:, :, start + 1 :] - levels[:, :, start:-1]).abs()  # (B, 3, n, H, W)
    energy = change.mean(dim=(1, 3, 4))
    moving = (change > moving_above).float().mean(dim=(1, 3, 4))
    return energy.double().cpu().numpy(), moving.double().cpu().numpy()


class Motion(MotionDeclaration):
    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.reset()

    def reset(self) -> None:
        self._stats: dict[str, dict[str, list[np.ndarray]]] = {side: {"energy": [], "moving": []} for side in SIDES}
        self._real_loaded = False

    def update(self, real: torch.Tensor | None, generated: torch.Tensor | None) -> None:
        for side, videos in zip(SIDES, (real, generated), strict=True):
            if videos is not None and len(videos):
                energy, moving = transitions(videos, self.clip.context, self.config.moving_above)
                self._stats[side]["energy"].append(energy)
                self._stats[side]["moving"].append(moving)

    def _side(self, side: str) -> dict[str, np.ndarray]:
        arrays = self._stats[side]
        if not arrays["energy"]:
            raise ValueError(f"motion got no {side} videos")
        return {name: np.concatenate(parts) for name, parts in arrays.items()}

    def real_key(self) -> dict[str, Any]:
        return {"statistic": STATISTIC, "moving_above": self.config.moving_above, "context": self.clip.context}

    def real_state(self) -> dict[str, np.ndarray]:
        return self._side("real")

    def load_real_state(self, state: dict[str, np.ndarray]) -> None:
        expected = self.clip.frames - self.clip.context
        for name in ("energy", "moving"):
            array = np.asarray(state[name], dtype=np.float64)
            if array.ndim != 2 or array.shape[1] != expected:
                raise ValueError(f"{name} of shape {array.shape} is not per video and transition ({expected})")
            self._stats["real"][name] = [array]
        self._real_loaded = True

    def shard_state(self) -> dict[str, np.ndarray]:
        sides = ["generated"] if self._real_loaded else list(SIDES)
        width = self.clip.frames - self.clip.context
        return {
            f"{side}_{name}": np.concatenate(parts) if parts else np.zeros((0, width))
            for side in sides
            for name, parts in self._stats[side].items()
        }

    def merge_shards(self, shards: list[dict[str, np.ndarray]]) -> None:
        for side in SIDES:
            if side == "real" and self._real_loaded:
                continue
            for name in ("energy", "moving"):
                self._stats[side][name] = [shard[f"{side}_{name}"] for shard in shards]

    def verdict(self, ratio: float, share_ratio: float, static_share: float) -> str:
        """Both the energy and the share of moving pixels must be near the real clips' to count as moving."""
        low, high = self.config.share_band
        if ratio > self.config.flickers or share_ratio > high:
            return "flickers"
        if ratio < self.config.too_still or share_ratio < low or static_share > 0.5:
            return "too still"
        return "moves like the real clips"

    def compute(self) -> dict[str, Any]:
        real, generated = self._side("real"), self._side("generated")
        real_energy = float(real["energy"].mean())
        if real_energy == 0:
            raise ValueError("the real clips do not move at all: a motion ratio means nothing here")
        energy = float(generated["energy"].mean())
        still = self.config.static_below * float(np.median(real["energy"].mean(axis=1)))
        static_share = float((generated["energy"].mean(axis=1) < still).mean())
        ratio = energy / real_energy
        moving, real_moving = float(generated["moving"].mean()), float(real["moving"].mean())
        share_ratio = moving / real_moving if real_moving else (1.0 if moving == 0 else float("inf"))
        first = max(self.clip.context, 1)
        return {
            self.name: ratio,
            "verdict": self.verdict(ratio, share_ratio, static_share),
            "energy": energy,
            "real_energy": real_energy,
            "moving_share": moving,
            "real_moving_share": real_moving,
            "static_share": static_share,
            "real_static_share": float((real["energy"].mean(axis=1) < still).mean()),
            "per_frame": {
                "frames": list(range(first, first + real["energy"].shape[1])),
                "energy": generated["energy"].mean(axis=0).tolist(),
                "real_energy": real["energy"].mean(axis=0).tolist(),
            },
            "real_videos": len(real["energy"]),
            "generated_videos": len(generated["energy"]),
            **self.describe(),
        }

    def describe(self) -> dict[str, Any]:
        return {
            "statistic": STATISTIC,
            "thresholds": {
                "moving_above": self.config.moving_above,
                "static_below": self.config.static_below,
                "too_still": self.config.too_still,
                "flickers": self.config.flickers,
                "share_band": list(self.config.share_band),
            },
        }

    def interval(self, resamples: int) -> dict[str, Any]:
        real, generated = self._side("real")["energy"].mean(axis=1), self._side("generated")["energy"].mean(axis=1)
        return bootstrap_interval(
            lambda i, j: float(generated[j].mean() / max(real[i].mean(), 1e-12)), (len(real), len(generated)), resamples
        )
