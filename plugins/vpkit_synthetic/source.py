"""The ``synthetic`` source: renders its clips instead of downloading anything."""

from __future__ import annotations

import numpy as np

from vpkit import ClipWriter
from vpkit_synthetic.declarations import SyntheticSourceDeclaration
from vpkit_synthetic.render import render_clip


class SyntheticSource(SyntheticSourceDeclaration):
    """Renders each clip from (seed, clip index) and stores them in shards of ``clips_per_shard``."""

    def render(self, index: int) -> np.ndarray:
        """Clip ``index`` as uint8 (T, H, W, 3)."""
        config = self.config
        return render_clip((config.seed, index), self.clip.frames, self.clip.size, config.max_players, config.stride)

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
