"""The ``synthetic`` source: renders its clips instead of downloading anything."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from vpkit import ClipSpec, ClipWriter, Options, Source
from vpkit_synthetic.render import render_clip


class SyntheticSource(Source):
    """Basketball-like clips drawn from (seed, clip index), at the run's clip length and size.

    Val clips take indices ``0 .. val_clips - 1`` and train clips the ones after, so the
    val set stays the same when only ``train_clips`` changes.
    """

    name = "synthetic"

    class Config(Options):
        train_clips: int = Field(512, gt=0, description="Clips in the train split.")
        val_clips: int = Field(64, ge=0, description="Clips in the val split.")
        seed: int = Field(0, ge=0, description="Rendering seed: the same seed gives the same clips.")
        clips_per_shard: int = Field(64, gt=0, description="Clips per shard file in the clip store.")
        max_players: int = Field(2, ge=1, le=4, description="Each clip has 1 to this many players.")

    @classmethod
    def check_clip(cls, config: Config, clip: ClipSpec) -> None:
        if clip.frames < 1:
            raise ValueError(f"needs at least 1 frame, got {clip.frames}")
        if clip.size < 8:
            raise ValueError(f"needs a size of at least 8 pixels, got {clip.size}")

    def render(self, index: int) -> np.ndarray:
        """Clip ``index`` as uint8 (T, H, W, 3)."""
        return render_clip((self.config.seed, index), self.clip.frames, self.clip.size, self.config.max_players)

    def prepare(self, writer: ClipWriter) -> None:
        config = self.config
        done = writer.done_keys
        for split, first, count in (("train", config.val_clips, config.train_clips), ("val", 0, config.val_clips)):
            for shard, start in enumerate(range(0, count, config.clips_per_shard)):
                key = f"{split}-{shard:05d}"
                if key in done:
                    continue
                indices = range(first + start, first + min(start + config.clips_per_shard, count))
                writer.add(
                    key,
                    np.stack([self.render(i) for i in indices]),
                    split,
                    [{"source": "synthetic", "seed": config.seed, "index": i} for i in indices],
                )
