"""What reaches yt-dlp, as far as it can be checked without the internet: search, keys, filters, playlists."""

from __future__ import annotations

import socket

import pytest
from pydantic import ValidationError
from vpkit_youtube import ytdl
from vpkit_youtube.declarations import DEFAULT_QUERY
from vpkit_youtube.listing import search_url, url_key
from vpkit_youtube.source import YoutubeSource

from vpkit import ClipSpec, ClipWriter, VpkitError

CLIP = ClipSpec(8, 32)


def prepare(tmp_path, **options) -> ClipWriter:
    options.setdefault("retry_backoff", 0.01)
    writer = ClipWriter(tmp_path / "store", CLIP, {}, cache_dir=tmp_path / "cache")
    YoutubeSource(YoutubeSource.Config(**options), CLIP).prepare(writer)
    return writer


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_search_url():
    assert search_url(DEFAULT_QUERY, 5) == "ytsearch5:close-up basketball highlights"


def test_the_search_reaches_youtube_search(tmp_path, http_server):
    # a proxy that answers, but tunnels nowhere: the real search extractor runs and fails on its first request
    with pytest.raises(VpkitError) as info:
        prepare(tmp_path, query="dunk contest", max_videos=3, retries=0, proxy=http_server.base)
    message = info.value.message
    assert message.startswith("youtube: search 'ytsearch3:dunk contest' failed:")
    assert 'query "dunk contest"' in message
    assert "\n" not in message


def test_keys_are_known_offline_where_yt_dlp_can_tell():
    assert url_key("https://www.youtube.com/watch?v=dQw4w9WgXcQ") == "Youtube-dQw4w9WgXcQ"
    assert url_key("https://youtu.be/dQw4w9WgXcQ") == "Youtube-dQw4w9WgXcQ"
    assert url_key("http://127.0.0.1:8000/a.mp4").startswith("url-")
    assert url_key("http://127.0.0.1:8000/a.mp4") != url_key("http://127.0.0.1:8000/b.mp4")


def test_a_stored_video_is_not_asked_for_again(tmp_path, closed_port):
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    writer = ClipWriter(tmp_path / "store", CLIP, {}, cache_dir=tmp_path / "cache")
    writer.skip("Youtube-dQw4w9WgXcQ", "removed")
    # any request would fail on the closed proxy; none is made
    YoutubeSource(YoutubeSource.Config(urls=[url], proxy=f"http://127.0.0.1:{closed_port}"), CLIP).prepare(writer)
    assert writer.manifest["skipped"] == [{"key": "Youtube-dQw4w9WgXcQ", "reason": "removed"}]


def test_duration_filter():
    match = ytdl.duration_filter(600)
    assert match({"id": "a", "duration": 30}) is None
    assert match({"id": "a", "duration": 601})
    assert match({"id": "a"}, incomplete=True) is None  # unknown durations pass
    assert match({"id": "a"}) is None
    assert ytdl.duration_filter(None) is None


def test_playlist_entries_are_expanded_and_filtered(tmp_path, http_server, media):
    body = media["plain"].read_bytes()
    http_server.serve("/a.mp4", body=body)
    http_server.serve("/b.mp4", body=body)
    page = (
        b"<html><head><title>Two games</title></head>"
        b"<body><video src='a.mp4'></video><video src='b.mp4'></video></body></html>"
    )
    url = http_server.serve("/games.html", body=page, content_type="text/html")
    writer = prepare(tmp_path, urls=[url], val_fraction=0)
    assert [s["key"] for s in writer.manifest["shards"]] == ["HTML5MediaEmbed-games-1", "HTML5MediaEmbed-games-2"]
    assert writer.manifest["shards"][1]["provenance"][0]["title"] == "Two games (2)"


def test_javascript_runtime_warning_becomes_one_line(tmp_path):
    notes = []
    logger = ytdl.Logger(notes.append)
    warning = "[youtube] No supported JavaScript runtime could be found. Only deno is enabled by default; ..."
    logger.warning(warning)
    logger.warning(warning)
    logger.error("[youtube] abc: Ensure you have a supported JavaScript runtime and ...")
    assert notes == [ytdl.JS_RUNTIME_HINT]
    assert "deno" in notes[0] and "node" in notes[0] and "\n" not in notes[0]


@pytest.mark.parametrize(
    "options",
    [{"rate_limit": "fast"}, {"format": "bv+ba"}, {"max_videos": 0}, {"retries": -1}, {"query": ""}, {"cookie": "x"}],
)
def test_config_rejects_bad_options(options):
    with pytest.raises(ValidationError):
        YoutubeSource.Config(**options)


def test_missing_cookies_file_is_a_short_error(tmp_path):
    with pytest.raises(VpkitError, match="cookies.txt: no such file"):
        prepare(tmp_path, cookies=str(tmp_path / "cookies.txt"))


def test_fetch_options_do_not_change_the_store(tmp_path):
    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import store_dir

    path = tmp_path / "run.yaml"
    path.write_text("source: {name: youtube, rate_limit: 1M}\nmodel: {generator: videogan, discriminator: videogan}\n")
    same = load_run(path, ["source.rate_limit=50K", "source.keep_raw=false"])
    other = load_run(path, ["source.max_videos=3"])
    assert store_dir(load_run(path)) == store_dir(same) != store_dir(other)


def test_a_skip_reason_is_never_empty():
    from vpkit_youtube.ytdl import reason
    from yt_dlp.utils import DownloadError

    assert reason(DownloadError("ERROR: [generic] abc: Unsupported URL: http://x")) == "Unsupported URL: http://x"
    cause = ConnectionResetError(104, "Connection reset by peer")
    assert (
        reason(DownloadError("ERROR: ", (type(cause), cause, None)))
        == "ConnectionResetError: [Errno 104] Connection reset by peer"
    )
    assert reason(DownloadError("ERROR: [download] ")) == "DownloadError"
    assert reason(DownloadError("")) == "DownloadError"


def test_node_is_enabled_beside_deno(tmp_path):
    from yt_dlp import YoutubeDL

    config = YoutubeSource.Config(urls=["http://127.0.0.1:9/v.mp4"])
    options = ytdl.params(config, tmp_path / "x.mp4", ytdl.Logger(print), lambda status: None)
    with YoutubeDL(options) as ydl:  # yt-dlp accepts the runtimes (it rejects unknown ones)
        assert list(ydl.params["js_runtimes"]) == ["deno", "node"]


def test_the_crop_is_part_of_the_store(tmp_path):
    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import store_dir, store_fingerprint

    path = tmp_path / "run.yaml"
    path.write_text("source: {name: youtube}\nmodel: {generator: videogan, discriminator: videogan}\n")
    tiles = load_run(path, ["source.crop=tiles", "source.crop_scale=0.5"])
    assert store_fingerprint(tiles)["source"]["crop"] == "tiles"
    assert store_fingerprint(tiles)["source"]["crop_scale"] == 0.5
    assert len({store_dir(load_run(path)), store_dir(tiles), store_dir(load_run(path, ["source.crop=tiles"]))}) == 3
