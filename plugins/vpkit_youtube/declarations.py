"""What a run file can say about the ``youtube`` and ``folder`` sources, without importing
yt-dlp: names, options and which options only change how inputs are fetched. The sources
(``source``, ``folder``) subclass these declarations.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from vpkit import ExtractOptions, Source

DEFAULT_QUERY = "close-up basketball highlights"
#: A single video-only (else muxed) MP4 of at most 360p: no merging, so no ffmpeg.
DEFAULT_FORMAT = "bv[ext=mp4][height<=360]/b[ext=mp4][height<=?360]/bv[height<=360]/b[height<=?360]"


class YoutubeSourceDeclaration(Source):
    """Videos found by a search or named by URL, downloaded with yt-dlp; any site yt-dlp supports."""

    name = "youtube"
    implementation = "vpkit_youtube.source:YoutubeSource"
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
                from vpkit_youtube.ytdl import parse_rate  # imports yt-dlp: only when a rate is set

                parse_rate(value)
            return value

        @field_validator("format")
        @classmethod
        def _single_file(cls, value: str) -> str:
            if "+" in value:
                raise ValueError("merging formats ('+') needs ffmpeg; pick single-file formats")
            return value


class FolderSourceDeclaration(Source):
    """Every .mp4, .webm, .mkv, .avi and .mov file under ``path``, in sorted order.

    Files added to the folder after its store was finished join the store on its next use.
    A folder or a broken link named like a video is recorded as skipped, with its reason.
    """

    name = "folder"
    implementation = "vpkit_youtube.folder:FolderSource"
    rescan = True

    class Config(ExtractOptions):
        path: str = Field(description="Directory of video files.")
        recursive: bool = Field(True, description="Include subdirectories.")
