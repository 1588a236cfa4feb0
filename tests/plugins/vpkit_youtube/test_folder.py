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
        "source": "folder", "video_id": "games/plain.mp4", "url": (video_dir / "games/plain.mp4").as_uri(),
        "title": "plain", "fps": 8.0, "start": 2.0,
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
