"""Which videos a ``youtube`` source means: a search, or URLs of videos and playlists.

Keys are ``<extractor>-<id>`` (``Youtube-dQw4w9WgXcQ``), worked out without the network
where yt-dlp can (a watch URL names its id), so a rerun skips a stored video before any
request. A URL yt-dlp only knows generically is keyed by its hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.extractor import gen_extractor_classes
from yt_dlp.utils import DownloadError, ExtractorError

from vpkit import Video, VpkitError, shard_key
from vpkit_youtube.archive import Archive
from vpkit_youtube.ytdl import reason

PLAYLISTS = ("playlist", "multi_video")
#: What a search asks.
YOUTUBE = "https://www.youtube.com/"


def search_url(query: str, count: int) -> str:
    """yt-dlp's address for the first ``count`` YouTube search results."""
    return f"ytsearch{count}:{query}"


@cache
def _extractors() -> list:
    return [ie for ie in gen_extractor_classes() if ie.ie_key() != "Generic"]


def url_key(url: str) -> str | None:
    """The shard key of ``url`` known offline, or None when only a request can tell."""
    for ie in _extractors():
        if ie.suitable(url):
            temp_id = ie.get_temp_id(url)
            return shard_key(ie.ie_key(), temp_id) if temp_id else None
    return hash_key(url)


def hash_key(url: str) -> str:
    return shard_key("url", hashlib.sha256(url.encode()).hexdigest()[:16])


def entry_key(entry: dict[str, Any], parent: dict[str, Any]) -> str:
    extractor = entry.get("ie_key") or entry.get("extractor_key") or parent.get("extractor_key") or "video"
    return shard_key(extractor, str(entry["id"]))


class Lister:
    """Turns a config's search or URLs into :class:`Video` entries, probing only what it must."""

    def __init__(
        self, ydl: YoutubeDL, archive: Archive, done: set[str], retry: Callable, reject_reason: Callable | None
    ):
        self.ydl, self.archive, self.done, self.retry = ydl, archive, done, retry
        self.reject_reason = reject_reason

    def search(self, query: str, count: int) -> Iterator[Video]:
        address = search_url(query, count)
        try:
            result = self.retry(lambda: self.ydl.extract_info(address, download=False, process=False))
            yield from self._entries(result)
        except (DownloadError, ExtractorError) as exc:
            raise VpkitError(f"youtube: search {address!r} failed: {reason(exc)}") from None

    def known(self, url: str) -> bool:
        """Whether ``url`` is a video already stored or downloaded: listing it asks no server."""
        key = url_key(url)
        return bool(key and (key in self.done or self.archive.find(key)))

    def addresses(self, urls: list[str]) -> list[str]:
        """The addresses listing ``urls`` (or, with none, the search) will ask."""
        return [url for url in urls if not self.known(url)] if urls else [YOUTUBE]

    def urls(self, urls: list[str]) -> Iterator[Video]:
        for url in urls:
            key = url_key(url)
            if self.known(url):
                meta = self.archive.meta(key)
                yield Video(key, meta.get("id", key), url, meta.get("title", ""))
                continue
            try:
                result = self.retry(lambda url=url: self.ydl.extract_info(url, download=False, process=False))
            except DownloadError as exc:
                yield Video(key or hash_key(url), url, url, skip=reason(exc))
                continue
            if result.get("_type") in PLAYLISTS:
                try:
                    yield from self._entries(result)
                except (DownloadError, ExtractorError) as exc:
                    yield Video(key or hash_key(url), url, url, skip=f"playlist stopped: {reason(exc)}")
            else:
                yield self._video(key or entry_key(result, {}), result, url)

    def _entries(self, playlist: dict[str, Any]) -> Iterator[Video]:
        for entry in playlist.get("entries") or ():
            if not entry or not entry.get("id"):
                continue
            key = entry_key(entry, playlist)
            if key not in self.done:
                yield self._video(key, entry, entry.get("webpage_url") or entry.get("url") or "")

    def _video(self, key: str, info: dict[str, Any], url: str) -> Video:
        rejected = self.reject_reason(info, incomplete=True) if self.reject_reason else None
        video = Video(key, str(info.get("id") or key), url, info.get("title") or "", data=info)
        if rejected:
            video.skip = f"longer than max_duration ({info.get('duration'):.0f} s)"
        return video
