"""The ``folder`` source and the shared video-source loop, on real files."""

from __future__ import annotations

import shutil

import pytest
import vpkit_youtube
from vpkit_youtube.folder import FolderSource
from vpkit_youtube.source import YoutubeSource

from vpkit import ClipSpec, ClipWriter, VpkitError
from vpkit.plugins import implementation

CLIP = ClipSpec(8, 32)


def prepare(root, folder, **options):
    writer = ClipWriter(root, CLIP, {"folder": str(folder)})
    FolderSource(FolderSource.Config(path=str(folder), **options), CLIP).prepare(writer)
    return writer


def test_plugin_registers_both_sources():
    registered = []
    vpkit_youtube.register_sources(registered.append)
    assert [implementation("source", cls) for cls in registered] == [YoutubeSource, FolderSource]


def test_finds_videos_recursively_and_skips_broken_ones(tmp_path, video_dir, capsys):
    writer = prepare(tmp_path / "store", video_dir, fps=[8], val_fraction=0)
    shards = {s["provenance"][0]["video_id"]: s for s in writer.manifest["shards"]}
    assert sorted(shards) == ["clip.webm", "games/2024/cut.MP4", "games/plain.mp4"]
    assert shards["games/plain.mp4"]["clips"] == 3
    assert shards["clip.webm"]["clips"] == 1
    assert shards["games/plain.mp4"]["provenance"][2] == {
        "source": "folder",
        "video_id": "games/plain.mp4",
        "url": (video_dir / "games/plain.mp4").as_uri(),
        "title": "plain",
        "fps": 8.0,
        "start": 2.0,
        "crop": [8, 0, 48],  # the centre square of the 64x48 frame
    }
    [skip] = writer.manifest["skipped"]
    assert skip["id"] == "notes.mp4" and skip["reason"].startswith("cannot decode")
    err = capsys.readouterr().err
    assert "folder: skipped notes" in err and "folder: 3 videos added to the clip store, 1 skipped" in err


def test_not_recursive(tmp_path, video_dir):
    writer = prepare(tmp_path / "store", video_dir, recursive=False)
    assert [s["id"] for s in writer.manifest["skipped"]] == ["notes.mp4"]
    assert [s["provenance"][0]["video_id"] for s in writer.manifest["shards"]] == ["clip.webm"]


def test_split_is_by_video(tmp_path, video_dir):
    writer = prepare(tmp_path / "store", video_dir, val_fraction=0.5, fps=[8, 24])
    splits = {s["split"] for s in writer.manifest["shards"]}
    assert splits == {"train", "val"}  # these three keys happen to fall on both sides
    for shard in writer.manifest["shards"]:
        assert len({p["video_id"] for p in shard["provenance"]}) == 1


def test_resume_reads_no_stored_video_again(tmp_path, video_dir):
    first = prepare(tmp_path / "store", video_dir)
    # what is stored is not read again: replacing the files with junk changes nothing
    for path in video_dir.rglob("*.*"):
        path.write_bytes(b"junk")
    again = prepare(tmp_path / "store", video_dir)
    assert again.manifest["shards"] == first.manifest["shards"]
    assert again.manifest["skipped"] == first.manifest["skipped"]


def test_new_files_join_an_unfinished_store(tmp_path, video_dir, media):
    prepare(tmp_path / "store", video_dir)
    shutil.copy(media["plain"], video_dir / "late.mov")
    writer = prepare(tmp_path / "store", video_dir)
    assert writer.manifest["shards"][-1]["provenance"][0]["video_id"] == "late.mov"


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_a_folder_without_videos_is_a_short_error(tmp_path, make):
    folder = tmp_path / "footage"
    if make == "empty":
        folder.mkdir()
    with pytest.raises(VpkitError, match="footage"):
        prepare(tmp_path / "store", folder)


def test_every_input_seen_is_stored_or_recorded_with_its_reason(tmp_path, video_dir, capsys):
    (video_dir / "x.mp4").mkdir()
    (video_dir / "gone.mp4").symlink_to(tmp_path / "deleted.mp4")
    writer = prepare(tmp_path / "store", video_dir, recursive=False)
    skipped = {item["id"]: item for item in writer.manifest["skipped"]}
    assert skipped["x.mp4"]["reason"] == "a folder, not a video file"
    assert skipped["gone.mp4"]["reason"] == "a broken link (its target is gone)"
    assert skipped["notes.mp4"]["reason"] == "cannot decode (not a video, or a codec neither decord nor ffmpeg reads)"
    assert skipped["notes.mp4"]["detail"].startswith("decord: Error reading notes.mp4; ffmpeg: ")
    assert "folder: 1 videos added to the clip store, 3 skipped" in capsys.readouterr().err


def test_three_by_two_footage_at_size_32(tmp_path, make_video):
    # 96 x 64 at clip size 32 is decoded 48 wide, a width decord cannot scale to
    folder = tmp_path / "phone"
    for i in range(6):
        make_video(folder / f"take{i}.mp4", size="96x64", seconds=1.5)
    writer = prepare(tmp_path / "store", folder, fps=[8])
    assert len(writer.manifest["shards"]) == 6 and writer.manifest["skipped"] == []


def test_files_added_after_the_store_is_finished_join_it(tmp_path, video_dir, media):
    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import prepare_store

    run_file = tmp_path / "run.yaml"
    run_file.write_text(
        f"clip: {{frames: 8, size: 32}}\nsource: {{name: folder, path: {video_dir}, fps: 8}}\n"
        f"model: {{generator: videogan, discriminator: videogan}}\noutput: {{cache_dir: {tmp_path / 'cache'}}}\n"
    )
    first = prepare_store(load_run(run_file))
    assert first.manifest["complete"] and len(first.manifest["shards"]) == 3
    shutil.copy(media["plain"], video_dir / "late.mp4")
    again = prepare_store(load_run(run_file))
    assert again.root == first.root and again.manifest["complete"]
    assert [s["provenance"][0]["video_id"] for s in again.manifest["shards"]][-1] == "late.mp4"
    assert again.manifest["shards"][:3] == first.manifest["shards"]


def test_split_approaches_the_clip_share_asked_and_says_so(tmp_path, real_footage, capsys):
    writer = prepare(tmp_path / "store", real_footage, fps=[25], stride=4, val_fraction=0.25)
    counts = [shard["clips"] for shard in writer.manifest["shards"]]
    val = sum(shard["clips"] for shard in writer.manifest["shards"] if shard["split"] == "val")
    assert len(counts) == 6 and 0 < val < sum(counts)
    assert abs(val / sum(counts) - 0.25) <= max(counts) / sum(counts) / 2  # as close as whole videos allow
    inputs = sum(shard["split"] == "val" for shard in writer.manifest["shards"])
    assert (
        f"folder: validation holds {inputs} of 6 inputs, {val} of {sum(counts)} clips ({val / sum(counts):.1%}), "
        "for a val_fraction of 0.25"
    ) in capsys.readouterr().err


def test_a_relative_path_is_from_the_working_directory(tmp_path, video_dir, monkeypatch):
    monkeypatch.chdir(video_dir.parent)
    writer = prepare(tmp_path / "store", video_dir.name)
    assert writer.manifest["shards"][0]["provenance"][0]["url"] == (video_dir / "clip.webm").as_uri()
