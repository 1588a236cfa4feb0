"""The ``youtube`` source: videos found by a search or named by URL, downloaded with yt-dlp.

Works with any site yt-dlp supports, and with direct links to video files. A video that
cannot be had (private, removed, blocked, an HTTP error, not a video) is skipped with its
reason; the run goes on.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from yt_dlp import YoutubeDL
from yt_dlp.utils import DownloadError

from vpkit import ClipWriter, SkipVideo, Video, VideoSource, VpkitError
from vpkit_youtube import ytdl
from vpkit_youtube.archive import Archive
from vpkit_youtube.declarations import YoutubeSourceDeclaration
from vpkit_youtube.listing import Lister
from vpkit_youtube.reach import check_reachable


class YoutubeSource(YoutubeSourceDeclaration, VideoSource):
    """Downloads each video once into the archive (``raw_dir``), then extracts its clips."""

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
            check_reachable(lister.addresses(self.config.urls), self.config.proxy, self.config.socket_timeout)
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
        self.archive.remember(
            video.key, {"id": video.id, "url": video.url, "title": video.title, "duration": info.get("duration")}
        )
        return path

    def release(self, video: Video, path: Path) -> None:
        if not self.config.keep_raw:
            self.archive.forget(video.key)

    def _retry(self, action):
        return ytdl.with_retries(action, self.config.retries, self.config.retry_backoff)
