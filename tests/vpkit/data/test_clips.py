import json

import numpy as np
import pytest

from vpkit import ClipSpec, ClipStore, ClipWriter, VpkitError

SPEC = ClipSpec(frames=2, size=4)


def clips(n, value=0):
    return np.full((n, 2, 4, 4, 3), value, dtype=np.uint8)


def test_store_round_trip_by_split(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, {"v": 1})
    writer.add("video-a", clips(3, 10), "train", [{"i": i} for i in range(3)])
    writer.add("video-b", clips(2, 20), "val")
    writer.add("video-c", clips(1, 30), "train")
    writer.skip("video-d", "private video", url="http://x")
    store = writer.finish()
    train = store.split("train")
    assert len(train) == 4 and len(store.split("val")) == 2
    assert [int(train[i][0, 0, 0, 0]) for i in range(4)] == [10, 10, 10, 30]
    assert train.gather([3, 0]).shape == (2, 2, 4, 4, 3)
    summary = store.summary()
    assert summary.clips == {"train": 4, "val": 2} and summary.skipped[0]["reason"] == "private video"
    assert ClipStore.is_complete(tmp_path, {"v": 1}) and not ClipStore.is_complete(tmp_path, {"v": 2})


def test_reopened_writer_resumes_and_rejects_other_settings(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, {"v": 1})
    writer.add("a", clips(1), "train")
    reopened = ClipWriter(tmp_path, SPEC, {"v": 1})
    assert reopened.done_keys == {"a"}
    with pytest.raises(ValueError, match="already in the store"):
        reopened.add("a", clips(1), "train")
    with pytest.raises(VpkitError, match="made from other settings"):
        ClipWriter(tmp_path, SPEC, {"v": 2})
    with pytest.raises(VpkitError, match="made from other settings"):
        ClipWriter(tmp_path, ClipSpec(frames=4, size=4), {"v": 1})


def test_adding_after_finish_marks_the_store_incomplete(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, {"v": 1})
    writer.add("a", clips(1), "train")
    writer.finish()
    ClipWriter(tmp_path, SPEC, {"v": 1}).add("b", clips(1), "train")
    assert not ClipStore.is_complete(tmp_path, {"v": 1})


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((1, 2, 4, 4, 3), np.float32), "must be uint8"),
        (np.zeros((1, 3, 4, 4, 3), np.uint8), "must be uint8"),
        (np.zeros((0, 2, 4, 4, 3), np.uint8), "has no clips"),
    ],
)
def test_bad_shards_are_refused(tmp_path, bad, message):
    with pytest.raises(ValueError, match=message):
        ClipWriter(tmp_path, SPEC, {}).add("k", bad, "train")


def test_bad_key_and_split(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, {})
    with pytest.raises(ValueError, match="shard key"):
        writer.add("../escape", clips(1), "train")
    with pytest.raises(ValueError, match="split"):
        writer.add("k", clips(1), "test")


def test_manifest_is_valid_json_after_every_shard(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, {"v": 1})
    for i in range(3):
        writer.add(f"k{i}", clips(1), "train")
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        assert len(manifest["shards"]) == i + 1 and manifest["complete"] is False
    assert not list(tmp_path.rglob("*.tmp*"))


def test_unreadable_store_is_a_short_error(tmp_path):
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(VpkitError, match="not a readable clip store"):
        ClipStore(tmp_path)
