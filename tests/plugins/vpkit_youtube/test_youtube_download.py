"""The real yt-dlp against a real HTTP server on 127.0.0.1: downloads, failures, retries, the archive."""

from __future__ import annotations

from vpkit_youtube.source import YoutubeSource

from vpkit import ClipSpec, ClipStore, ClipWriter

CLIP = ClipSpec(8, 32)


def source(**options) -> YoutubeSource:
    options.setdefault("retry_backoff", 0.01)
    options.setdefault("socket_timeout", 5)
    return YoutubeSource(YoutubeSource.Config(**options), CLIP)


def prepare(tmp_path, store="store", **options) -> ClipStore:
    writer = ClipWriter(tmp_path / store, CLIP, {"test": store}, cache_dir=tmp_path / "cache")
    source(**options).prepare(writer)
    return writer.finish()


def skipped(store: ClipStore) -> dict[str, str]:
    return {s["url"]: s["reason"] for s in store.manifest["skipped"]}


def test_downloads_and_extracts_a_video(tmp_path, http_server, media):
    url = http_server.serve("/v/plain.mp4", body=media["plain"].read_bytes())
    store = prepare(tmp_path, urls=[url], fps=[8], val_fraction=0)

    [shard] = store.manifest["shards"]
    assert shard["clips"] == 3 and shard["split"] == "train"
    assert shard["provenance"][1] == {
        "source": "youtube",
        "video_id": "plain",
        "url": url,
        "title": "plain",
        "fps": 8.0,
        "start": 1.0,
        "crop": [8, 0, 48],
    }
    clips = store.split("train").gather(range(3))
    assert clips.shape == (3, 8, 32, 32, 3) and clips.std() > 10
    raw = sorted(p.name for p in (tmp_path / "cache" / "downloads" / "youtube").iterdir())
    assert raw == [f"{shard['key']}.json", f"{shard['key']}.mp4"]


def test_failures_are_skipped_with_reasons_and_the_run_goes_on(tmp_path, http_server, media, capsys):
    good = http_server.serve("/good.mp4", body=media["plain"].read_bytes())
    missing = http_server.url("/missing.mp4")
    page = http_server.serve(
        "/page.mp4",
        body=b"<html><head><title>Not here</title></head><body>moved</body></html>",
        content_type="text/html",
    )
    text = http_server.serve("/text.mp4", body=media["text"].read_bytes())
    dropped = http_server.serve("/dropped.mp4", body=media["plain"].read_bytes(), drop_at=2000)

    store = prepare(tmp_path, urls=[missing, page, text, dropped, good], retries=2)

    assert [s["url"] for s in store.manifest["shards"][0]["provenance"]][:1] == [good]
    reasons = skipped(store)
    assert set(reasons) == {missing, page, text, dropped}
    assert "404" in reasons[missing]
    assert "Unsupported URL" in reasons[page]
    assert "cannot decode" in reasons[text]
    assert reasons[dropped]
    err = capsys.readouterr().err
    assert "youtube: 1 videos added to the clip store, 4 skipped" in err
    assert "Traceback" not in err, err


def test_retries_a_failing_url_with_back_off(tmp_path, http_server, media):
    url = http_server.serve("/flaky.mp4", body=media["plain"].read_bytes(), fail_first=2)
    store = prepare(tmp_path, urls=[url], retries=2)
    assert store.summary().shards["train"] + store.summary().shards["val"] == 1
    assert http_server.routes["/flaky.mp4"].hits >= 3


def test_gives_up_after_the_retries(tmp_path, http_server, media):
    url = http_server.serve("/flaky.mp4", body=media["plain"].read_bytes(), fail_first=5)
    store = prepare(tmp_path, urls=[url], retries=1)
    assert "503" in skipped(store)[url]
    assert http_server.routes["/flaky.mp4"].hits == 2


def test_resumes_a_connection_dropped_mid_file(tmp_path, http_server, media):
    body = media["plain"].read_bytes()
    url = http_server.serve("/drop-once.mp4", body=body, drop_at=len(body) // 2, drops=1)
    store = prepare(tmp_path, urls=[url], retries=2)
    assert not store.manifest["skipped"]
    assert len(store.manifest["shards"]) == 1


def test_a_second_run_downloads_nothing(tmp_path, http_server, media):
    url = http_server.serve("/v/plain.mp4", body=media["plain"].read_bytes())
    first = prepare(tmp_path, store="a", urls=[url])
    requests = len(http_server.log)
    # the same store again: everything is done
    prepare(tmp_path, store="a", urls=[url])
    # a new store with other settings: the archive has the file
    second = prepare(tmp_path, store="b", urls=[url], fps=[4, 8])
    assert len(http_server.log) == requests
    assert (
        second.manifest["shards"][0]["provenance"][0]["title"] == first.manifest["shards"][0]["provenance"][0]["title"]
    )
    assert second.summary().clips != first.summary().clips


def test_raw_files_can_be_dropped(tmp_path, http_server, media):
    url = http_server.serve("/v/plain.mp4", body=media["plain"].read_bytes())
    prepare(tmp_path, urls=[url], keep_raw=False)
    assert list((tmp_path / "cache" / "downloads" / "youtube").iterdir()) == []
