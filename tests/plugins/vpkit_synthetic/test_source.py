import numpy as np
import pytest
import vpkit_synthetic
from pydantic import ValidationError
from vpkit_synthetic.source import SyntheticSource

from vpkit import ClipSpec, ClipStore, ClipWriter
from vpkit.plugins import implementation

SPEC = ClipSpec(16, 32)


def make(**options):
    return SyntheticSource(SyntheticSource.Config(**options), SPEC)


def all_clips(store_root, split):
    dataset = ClipStore(store_root).split(split)
    return dataset.gather(range(len(dataset)))


def test_plugin_registers_the_source():
    registered = []
    vpkit_synthetic.register_sources(registered.append)
    assert [cls.name for cls in registered] == ["synthetic"]
    assert implementation("source", registered[0]) is SyntheticSource


@pytest.mark.parametrize(
    "options", [{"train_clips": 0}, {"val_clips": -1}, {"clips_per_shard": 0}, {"seed": -1}, {"colour": 1}]
)
def test_config_rejects_bad_options(options):
    with pytest.raises(ValidationError):
        SyntheticSource.Config(**options)


def test_check_clip():
    config = SyntheticSource.Config()
    SyntheticSource.check_clip(config, ClipSpec(1, 8))
    for clip in (ClipSpec(0, 32), ClipSpec(16, 7)):
        with pytest.raises(ValueError):
            SyntheticSource.check_clip(config, clip)


def test_prepare_writes_shards_with_provenance_and_resumes(tmp_path):
    source = make(train_clips=10, val_clips=3, clips_per_shard=4, seed=5)
    writer = ClipWriter(tmp_path, SPEC, fingerprint={"x": 1})
    source.prepare(writer)
    store = writer.finish()

    summary = store.summary()
    assert summary.clips == {"train": 10, "val": 3}
    assert summary.shards == {"train": 3, "val": 1}
    shards = {s["key"]: s for s in store.manifest["shards"]}
    assert set(shards) == {"train-00000", "train-00001", "train-00002", "val-00000"}
    assert shards["train-00002"]["clips"] == 2

    def indices(split):
        return [p["index"] for s in shards.values() if s["split"] == split for p in s["provenance"]]

    assert indices("val") == [0, 1, 2]
    assert indices("train") == list(range(3, 13))
    assert shards["val-00000"]["provenance"][0] == {"source": "synthetic", "seed": 5, "index": 0}
    assert np.array_equal(all_clips(tmp_path, "val")[1], source.render(1))

    reopened = ClipWriter(tmp_path, SPEC, fingerprint={"x": 1})
    make(train_clips=10, val_clips=3, clips_per_shard=4, seed=5).prepare(reopened)
    assert reopened.manifest["shards"] == store.manifest["shards"]


def test_resume_fills_in_missing_shards(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, fingerprint={"x": 1})
    writer.add("train-00000", np.stack([make(seed=2).render(i) for i in (1, 2)]), "train")
    make(train_clips=4, val_clips=1, clips_per_shard=2, seed=2).prepare(writer)
    assert [s["key"] for s in writer.manifest["shards"]] == ["train-00000", "train-00001", "val-00000"]


def test_clips_do_not_depend_on_shard_size(tmp_path):
    for per_shard in (1, 3, 64):
        root = tmp_path / str(per_shard)
        writer = ClipWriter(root, SPEC, fingerprint={})
        make(train_clips=5, val_clips=2, clips_per_shard=per_shard).prepare(writer)
        writer.finish()
    for split in ("train", "val"):
        reference = all_clips(tmp_path / "64", split)
        for per_shard in (1, 3):
            assert np.array_equal(all_clips(tmp_path / str(per_shard), split), reference)


def test_val_set_stays_when_train_clips_change(tmp_path):
    for train_clips in (1, 4):
        writer = ClipWriter(tmp_path / str(train_clips), SPEC, fingerprint={})
        make(train_clips=train_clips, val_clips=2).prepare(writer)
        writer.finish()
    assert np.array_equal(all_clips(tmp_path / "1", "val"), all_clips(tmp_path / "4", "val"))
