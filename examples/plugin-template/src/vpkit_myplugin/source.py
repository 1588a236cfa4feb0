"""A source to start from: clips of a bar sliding across a plain background, drawn from a seed."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from vpkit import ClipWriter, Options, Source


class MySource(Source):
    """Writes ``clips`` clips in shards of 8; replace :meth:`render` with your data."""

    name = "my_source"

    class Config(Options):
        clips: int = Field(32, gt=0, description="Clips to make.")
        val_fraction: float = Field(0.25, ge=0, lt=1, description="Share of shards in the val split.")
        seed: int = Field(0, description="Seed of the clips' colours and speeds.")

    def prepare(self, writer: ClipWriter) -> None:
        rng = np.random.default_rng(self.config.seed)
        shards = -(-self.config.clips // 8)
        val_shards = round(shards * self.config.val_fraction)
        for index in range(shards):
            key = f"shard-{index:04d}"
            count = min(8, self.config.clips - 8 * index)
            # Render before the skip, so a resumed preparation draws the same random numbers.
            clips = np.stack([self.render(rng) for _ in range(count)])
            if key in writer.done_keys:
                continue
            split = "val" if index < val_shards else "train"
            writer.add(key, clips, split, [{"source": self.name, "seed": self.config.seed, "shard": index}] * count)

    def render(self, rng: np.random.Generator) -> np.ndarray:
        """One uint8 clip (T, H, W, 3): a bar of a random colour moving at a random speed."""
        t, s = self.clip.frames, self.clip.size
        clip = np.zeros((t, s, s, 3), np.uint8)
        clip[:] = rng.integers(0, 96, 3, dtype=np.uint8)
        colour, speed, width = rng.integers(128, 256, 3, dtype=np.uint8), rng.uniform(0.5, 2), max(1, s // 8)
        for frame in range(t):
            left = int(frame * speed) % s
            clip[frame, :, left : left + width] = colour
        return clip
