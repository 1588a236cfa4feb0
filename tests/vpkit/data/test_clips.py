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


def damage(store, how):
    """Damage a finished store the way a crash, a full disk or a careless hand does."""
    manifest = json.loads((store / "manifest.json").read_text())
    shard = store / manifest["shards"][0]["file"]
    if how == "truncated manifest":
        (store / "manifest.json").write_bytes((store / "manifest.json").read_bytes()[:100])
    elif how == "shard entry without clips":
        del manifest["shards"][0]["clips"]
        (store / "manifest.json").write_text(json.dumps(manifest))
    elif how == "shard header overwritten":
        with open(shard, "r+b") as f:
            f.write(b"\0" * 64)
    elif how == "emptied shard":
        shard.write_bytes(b"")
    elif how == "deleted shard":
        shard.unlink()
    return store / "manifest.json" if how in ("truncated manifest", "shard entry without clips") else shard


@pytest.mark.parametrize(
    "how, warning",
    [
        ("truncated manifest", "not valid JSON"),
        ("shard entry without clips", "shards.0.clips: field required"),
        ("shard header overwritten", "not a .npy file (its header is damaged)"),
        ("emptied shard", "empty shard"),
        ("deleted shard", "shard missing"),
    ],
)
def test_a_damaged_store_is_rebuilt_where_it_is_damaged(tiny_run, capsys, how, warning):
    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import prepare_store

    run = load_run(tiny_run())
    store = prepare_store(run)
    clips = store.split("train").gather(range(24))
    damaged = damage(store.root, how)
    capsys.readouterr()
    rebuilt = prepare_store(run)
    assert f"warning: {damaged}: {warning}" in capsys.readouterr().err
    assert rebuilt.manifest["complete"] and len(rebuilt.split("val")) == 4
    assert np.array_equal(rebuilt.split("train").gather(range(24)), clips)
    assert not list(store.root.rglob(".*.tmp*"))


def test_a_full_disk_keeps_what_the_store_holds(tmp_path, tiny_run, full_disk):
    from click.testing import CliRunner

    from vpkit.commands.cli import cli

    run_file = tiny_run(source={"train_clips": 2, "val_clips": 8})
    with full_disk(12_000):  # the train shard (2 clips, 6 kB) fits, the val shard (8 clips, 24 kB) does not
        result = CliRunner().invoke(cli, ["data", str(run_file)])  # numpy: "OSError: ... requested and ... written"
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert (
        "val-00000.npy: cannot write the clip store (the file could not be written in full; is the disk full?)"
        in result.output
    )
    [store] = (tmp_path / "cache" / "clips").iterdir()
    assert [s["key"] for s in json.loads((store / "manifest.json").read_text())["shards"]] == ["train-00000"]
    assert not list(store.rglob(".*.tmp*"))
    again = CliRunner().invoke(cli, ["data", str(run_file)])
    assert again.exit_code == 0, again.output
    assert "clips: 2 train, 8 val" in again.stdout


def test_splits_are_chosen_by_clip_share_and_a_damaged_shard_keeps_its_own(tmp_path):
    writer = ClipWriter(tmp_path, SPEC, {"v": 1})
    for key, n in (("a", 1), ("b", 1), ("c", 8)):
        writer.add(key, clips(n), writer.choose_split(key, n, 0.3))
    assert writer.clip_counts() == {"train": 9, "val": 1}
    assert [shard["split"] for shard in writer.manifest["shards"]] == ["train", "val", "train"]
    (tmp_path / "shards" / "a.npy").write_bytes(b"")
    reopened = ClipWriter(tmp_path, SPEC, {"v": 1})  # drops a: a new clip would now go to validation
    assert reopened.choose_split("new", 1, 0.3) == "val"
    assert reopened.choose_split("a", 1, 0.3) == "train"
