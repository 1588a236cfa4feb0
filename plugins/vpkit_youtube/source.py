"""The ``youtube`` source: videos found by a search or named by URL, downloaded with yt-dlp.

Works with any site yt-dlp supports, and with direct links to video files. A video that
cannot be had (private, removed, blocked, an HTTP error, not a video) is skipped with its
reason; the run goes on.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from pydantic import Field, field_validator
from yt_dlp import YoutubeDL
from yt_dlp.utils import DownloadError

from vpkit import ClipWriter, ExtractOptions, SkipVideo, Video, VideoSource, VpkitError
from vpkit_youtube import ytdl
from vpkit_youtube.archive import Archive
from vpkit_youtube.listing import Lister

DEFAULT_QUERY = "close-up basketball highlights"
#: A single video-only (else muxed) MP4 of at most 360p: no merging, so no ffmpeg.
DEFAULT_FORMAT = "bv[ext=mp4][height<=360]/b[ext=mp4][height<=?360]/bv[height<=360]/b[height<=?360]"


class YoutubeSource(VideoSource):
    name = "youtube"
    fetch_options = frozenset(
        {"raw_dir", "keep_raw", "cookies", "rate_limit", "proxy", "retries", "retry_backoff", "socket_timeout"}
    )

    class Config(ExtractOptions):
        query: str = Field(DEFAULT_QUERY, min_length=1, description="YouTube search, used when `urls` is empty.")
        max_videos: int = Field(
            20, gt=0, description="Search results to take; those skipped (too long, unavailable) are not replaced."
        )
        urls: list[str] = Field(default_factory=list, description="Video or playlist URLs, instead of a search.")
        max_duration: float | None = Field(
            600, gt=0, description="Skip videos longer than this many seconds (unknown durations pass); null: no limit."
        )
        format: str = Field(DEFAULT_FORMAT, description="yt-dlp format selector; keep it to single files (no '+').")
        raw_dir: str | None = Field(None, description="Where downloads go; default <cache_dir>/downloads/youtube.")
        keep_raw: bool = Field(True, description="Keep downloads, so a store with other settings reuses them.")
        cookies: str | None = Field(None, description="Netscape cookies file, for age-gated videos.")
        rate_limit: str | None = Field(None, description="Download rate cap in bytes/s, e.g. 500K or 2M.")
        proxy: str | None = Field(None, description="HTTP/HTTPS/SOCKS proxy URL.")
        retries: int = Field(3, ge=0, description="Retries of a failed request, with exponential back-off.")
        retry_backoff: float = Field(2.0, ge=0, description="Seconds before the first retry; doubles each time.")
        socket_timeout: float = Field(30, gt=0, description="Seconds without data before a request fails.")

        @field_validator("rate_limit")
        @classmethod
        def _rate(cls, value: str | None) -> str | None:
            if value is not None:
                ytdl.parse_rate(value)
            return value

        @field_validator("format")
        @classmethod
        def _single_file(cls, value: str) -> str:
            if "+" in value:
                raise ValueError("merging formats ('+') needs ffmpeg; pick single-file formats")
            return value

    def prepare(self, writer: ClipWriter) -> None:
        config = self.config
        if config.cookies and not Path(config.cookies).expanduser().is_file():
            raise VpkitError(f"source.cookies: {config.cookies}: no such file")
        raw_dir = Path(config.raw_dir).expanduser() if config.raw_dir else writer.cache_dir / "downloads" / "youtube"
        self.archive = Archive(raw_dir)
        super().prepare(writer)

    def videos(self, writer: ClipWriter) -> Iterator[Video]:
        self.logger = ytdl.Logger(self.progress.note)  # one per run (fetch uses it too): the JavaScript hint shows once
        # listing downloads nothing, so its output template is never used
        with YoutubeDL(ytdl.params(self.config, self.archive.template("listing"), self.logger, lambda d: None)) as ydl:
            lister = Lister(ydl, self.archive, writer.done_keys, self._retry, ydl.params["match_filter"])
            if self.config.urls:
                yield from lister.urls(self.config.urls)
            else:
                yield from lister.search(self.config.query, self.config.max_videos)

    def fetch(self, video: Video) -> Path:
        found = self.archive.find(video.key)
        if found:
            return found
        progress = self.progress
        sizes: dict[str, int] = {}

        def hook(status: dict) -> None:  # bytes since the last call, per file (a retry restarts a count)
            done = status.get("downloaded_bytes") or 0
            name = status.get("tmpfilename") or status.get("filename") or ""
            progress.bytes.update(max(0, done - sizes.get(name, 0)))
            sizes[name] = done

        options = ytdl.params(self.config, self.archive.template(video.key), self.logger, hook)
        request = video.data if video.data is not None else {"_type": "url", "url": video.url}
        with YoutubeDL(options) as ydl:
            try:
                info = self._retry(lambda: ydl.process_ie_result(copy.deepcopy(request), download=True))
            except DownloadError as exc:
                raise SkipVideo(ytdl.reason(exc)) from None
            except Exception as exc:  # a yt-dlp bug on one video must not stop the run
                raise SkipVideo(f"yt-dlp failed: {type(exc).__name__}: {exc}") from None
            if ydl.params["match_filter"] and ydl.params["match_filter"](info, incomplete=False):
                raise SkipVideo(f"longer than max_duration ({info.get('duration'):.0f} s)")
        path = self.archive.find(video.key)
        if path is None:
            raise SkipVideo("yt-dlp downloaded no file (no format matched?)")
        video.id, video.title = str(info.get("id") or video.id), info.get("title") or video.title
        self.archive.remember(video.key, {"id": video.id, "url": video.url, "title": video.title, "duration": info.get("duration")})
        return path

    def release(self, video: Video, path: Path) -> None:
        if not self.config.keep_raw:
            self.archive.forget(video.key)

    def _retry(self, action):
        return ytdl.with_retries(action, self.config.retries, self.config.retry_backoff)