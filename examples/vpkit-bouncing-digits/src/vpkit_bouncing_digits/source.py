"""The ``bouncing_digits`` source: renders its clips, so it needs no download."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from vpkit import ClipSpec, ClipWriter, Options, Source
from vpkit_bouncing_digits.render import render_clip

MIN_SIZE = 12


class BouncingDigits(Source):
    """Coloured digits bouncing around a black frame, like Moving MNIST drawn with a font.

    Clip ``i`` depends only on ``(seed, i)``. Val clips take indices ``0 .. val_clips - 1``
    and train clips the ones after, so changing ``train_clips`` keeps the val set.
    """

    name = "bouncing_digits"

    class Config(Options):
        train_clips: int = Field(256, gt=0, description="Clips in the train split.")
        val_clips: int = Field(32, ge=0, description="Clips in the val split.")
        seed: int = Field(0, ge=0, description="Rendering seed: the same seed gives the same clips.")
        digits: int = Field(2, ge=1, le=4, description="Digits in each clip.")
        digit_size: float = Field(0.4, gt=0, le=0.8, description="Digit height as a fraction of the frame size.")
        speed: float = Field(
            0.06, gt=0, le=0.5, description="Distance a digit moves per frame, as a fraction of the frame size."
        )
        clips_per_shard: int = Field(64, gt=0, description="Clips per shard file in the clip store.")

    @classmethod
    def check_clip(cls, config: Config, clip: ClipSpec) -> None:
        if clip.size < MIN_SIZE:
            raise ValueError(f"needs a size of at least {MIN_SIZE} pixels to draw digits, got {clip.size}")

    def render(self, index: int) -> np.ndarray:
        """Clip ``index`` as uint8 (T, H, W, 3)."""
        config, size = self.config, self.clip.size
        rng = np.random.default_rng([config.seed, index])
        height = max(8, round(config.digit_size * size))
        return render_clip(rng, self.clip.frames, size, config.digits, height, config.speed * size)

    def prepare(self, writer: ClipWriter) -> None:
        """Write each split in shards of ``clips_per_shard``, skipping shards already stored."""
        config = self.config
        for split, first, count in (("train", config.val_clips, config.train_clips), ("val", 0, config.val_clips)):
            for shard, start in enumerate(range(0, count, config.clips_per_shard)):
                key = f"{split}-{shard:05d}"
                if key in writer.done_keys:
                    continue
                indices = range(first + start, first + min(start + config.clips_per_shard, count))
                writer.add(
                    key,
                    np.stack([self.render(i) for i in indices]),
                    split,
                    [{"source": self.name, "seed": config.seed, "index": i} for i in indices],
                )
