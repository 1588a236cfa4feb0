"""VideoSource on its own, through a minimal subclass over real video files: what it stores,
what it skips and why, what a resumed preparation redoes, and when it releases its files."""

from __future__ import annotations

from pathlib import Path

from vpkit import ClipSpec, ClipWriter, SkipVideo, Video, VideoSource, shard_key


class ListedFiles(VideoSource):
    """The videos are the files it is given; a missing one cannot be fetched."""

    name = "listed_files"

    def __init__(self, config, clip, paths: dict[str, Path | None]):
        super().__init__(config, clip)
        self.paths, self.fetched, self.released = paths, [], []

    def videos(self, writer):
        for key, path in self.paths.items():
            yield Video(
                key,
                key,
                path.as_uri() if path else f"missing://{key}",
                title=key,
                skip="listed as private" if key == "private" else None,
            )

    def fetch(self, video):
        self.fetched.append(video.key)
        path = self.paths[video.key]
        if path is None:
            raise SkipVideo("gone from the server")
        return path

    def release(self, video, path):
        self.released.append(video.key)


CLIP = ClipSpec(8, 16)


def prepare(root: Path, paths: dict[str, Path | None]) -> tuple[ListedFiles, ClipWriter]:
    writer = ClipWriter(root, CLIP, {"source": "listed_files"})
    source = ListedFiles(ListedFiles.Config(fps=24, val_fraction=0, short_videos="skip"), CLIP, paths)
    source.prepare(writer)
    return source, writer


def test_stores_good_videos_and_records_why_the_others_gave_nothing(tmp_path, media):
    paths = {
        "plain": media["plain"],
        "short": media["short"],
        "gone": None,
        "private": media["plain"],
        "text": media["text"],
    }
    source, writer = prepare(tmp_path, paths)
    store = writer.finish()
    assert [shard["key"] for shard in store.manifest["shards"]] == ["plain"]
    reasons = {item["key"]: item["reason"] for item in store.manifest["skipped"]}
    assert reasons["gone"] == "gone from the server"
    assert reasons["private"] == "listed as private"
    assert reasons["short"].startswith("shorter than one clip")
    assert reasons["text"].startswith("cannot decode")
    assert "private" not in source.fetched  # a skip found while listing costs no fetch
    assert sorted(source.released) == ["plain", "short", "text"]  # every fetched file, even failed ones
    provenance = store.manifest["shards"][0]["provenance"][0]
    assert provenance["source"] == "listed_files" and provenance["fps"] == 24


def test_a_resumed_preparation_fetches_only_what_is_new(tmp_path, media):
    prepare(tmp_path, {"plain": media["plain"], "gone": None})
    source, writer = prepare(tmp_path, {"plain": media["plain"], "gone": None, "webm": media["webm"]})
    assert source.fetched == ["webm"]
    assert {shard["key"] for shard in writer.finish().manifest["shards"]} == {"plain", "webm"}


def test_shard_key_makes_free_text_safe():
    assert shard_key("youtube", "a/b c?d") == "youtube-a_b_c_d"
    assert shard_key("...") == "video"
    assert len(shard_key("x" * 500)) == 120
