"""A run on the real-footage folder: the sample grid's real clips come from several videos."""

from __future__ import annotations

import numpy as np

from vpkit.config.runfile import load_run
from vpkit.engine.train.trainer import Trainer

RUN = """\
clip: {{frames: 4, size: 16}}
source: {{name: folder, path: {folder}, fps: [25], stride: 4, crop: tiles, crop_scale: 0.5, val_fraction: 0.3}}
model: {{generator: still, discriminator: {{name: videogan, width: 0.125}}}}
train: {{steps: 1, batch_size: 2, device: cpu, samples: 6}}
output: {{cache_dir: {cache}}}
"""


def test_grid_rows_come_from_different_videos(tmp_path, real_footage, still, write_yaml):
    run = load_run(write_yaml(RUN.format(folder=real_footage, cache=tmp_path / "cache")))
    trainer = Trainer(run, tmp_path / "run")
    try:
        trainer.setup()
        shards = [s for s in trainer.store.manifest["shards"] if s["split"] == "val"]
        provenance = [p for shard in shards for p in shard["provenance"]]
        val = trainer.val_set.gather(range(len(trainer.val_set)))
        rows = trainer.fixed_real.numpy()
        picked = [int(np.flatnonzero((val == row).all(axis=(1, 2, 3, 4)))[0]) for row in rows]
        videos = [provenance[i]["video_id"] for i in picked]
        assert len(rows) == 6 and len(shards) >= 2
        assert len(set(videos)) == len(shards)  # every validation video has a row
        assert len({(provenance[i]["video_id"], provenance[i]["start"]) for i in picked}) > len(shards)
    finally:
        trainer.cleanup()
