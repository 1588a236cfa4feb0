"""The base of every source whose inputs are video files (a folder, YouTube, a third party's).

A subclass lists its videos and fetches each one to a local file; this module does the rest
the same way for all: skip what the store already holds, extract clips, split by video (each
to the side that brings validation's share of the clips closest to ``val_fraction``), record
why a video gave nothing, show progress and summarise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from vpkit.clip_spec import ClipSpec
from vpkit.components import Source
from vpkit.data.clips import ClipWriter
from vpkit.progress import Progress
from vpkit.video.extract import ExtractOptions, VideoError, extract_clips

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class SkipVideo(Exception):
    """Raised by :meth:`VideoSource.fetch` for a video that cannot be had; ``str`` is the reason."""


@dataclass
class Video:
    """One input video.

    ``key`` names its shard in the store: stable across runs, so a rerun skips it, and the
    unit of the train/val split. ``skip`` is a reason found while listing (the video is then
    recorded as skipped without a fetch); ``data`` carries what the source learnt while
    listing to its ``fetch``, which may fill in the ``id`` and ``title`` it learns.
    """

    key: str
    id: str
    url: str
    title: str = ""
    skip: str | None = None
    data: Any = None


def shard_key(*parts: str) -> str:
    """A valid shard key from free text (ids, paths): unsafe characters become ``_``."""
    return _UNSAFE.sub("_", "-".join(parts)).strip("._-")[:120] or "video"


class VideoSource(Source):
    """Lists videos, fetches each to a file, and extracts clips with :mod:`vpkit.video.extract`.

    While ``prepare`` runs, ``self.progress`` holds the bars; sources print through its ``note``.
    """

    Config: ClassVar[type[ExtractOptions]] = ExtractOptions

    @classmethod
    def check_clip(cls, config: ExtractOptions, clip: ClipSpec) -> None:
        if clip.size < 4:
            raise ValueError(f"needs a size of at least 4 pixels, got {clip.size}")

    def videos(self, writer: ClipWriter) -> Iterator[Video]:
        """The videos to consider, in order. Listing may skip keys in ``writer.done_keys`` early."""
        raise NotImplementedError

    def fetch(self, video: Video) -> Path:
        """A local file holding ``video``; raise :class:`SkipVideo` if there is none to be had."""
        raise NotImplementedError

    def release(self, video: Video, path: Path) -> None:
        """Called once ``path`` is read (or could not be): delete it here if it is temporary."""

    def prepare(self, writer: ClipWriter) -> None:
        self.progress = progress = Progress(self.name)
        done, rescan = writer.done_keys, writer.complete
        stored, skipped = 0, Counter()
        try:
            for video in self.videos(writer):
                if video.key in done:
                    continue
                done.add(video.key)
                reason, detail = (video.skip, None) if video.skip else self._add(writer, video)
                if reason:
                    details = {"detail": detail} if detail else {}
                    writer.skip(video.key, reason, id=video.id, url=video.url, title=video.title, **details)
                    progress.note(f"{self.name}: skipped {video.title or video.url}: {reason}")
                    skipped[reason] += 1
                else:
                    stored += 1
                progress.videos.update(1)
        finally:
            progress.close()
        if stored or skipped or not rescan:  # a rescan of a finished store that found nothing new says nothing
            progress.note(self._summary(stored, skipped))
        if stored:
            progress.note(f"{self.name}: {writer.describe_split()}, for a val_fraction of {self.config.val_fraction:g}")

    def _add(self, writer: ClipWriter, video: Video) -> tuple[str | None, str | None]:
        """Fetch, extract and store one video; return why it gave no clips (a short reason and the
        decoder's detail), or (None, None)."""
        path = None
        try:
            path = self.fetch(video)
            extraction = extract_clips(path, self.clip, self.config)
        except (SkipVideo, VideoError) as exc:
            return str(exc) or type(exc).__name__, getattr(exc, "detail", None)
        finally:
            if path is not None:
                self.release(video, path)
        provenance = [
            {
                "source": self.name,
                "video_id": video.id,
                "url": video.url,
                "title": video.title,
                "fps": w.fps,
                "start": w.start,
                "crop": list(w.crop),
            }
            for w in extraction.windows
        ]
        split = writer.choose_split(video.key, len(extraction.clips), self.config.val_fraction)
        writer.add(video.key, extraction.clips, split, provenance)
        self.progress.clips.update(len(extraction.clips))
        return None, None

    def _summary(self, stored: int, skipped: Counter) -> str:
        line = f"{self.name}: {stored} videos added to the clip store, {sum(skipped.values())} skipped"
        return line + f" ({tally(skipped)})" if skipped else line


def tally(reasons: Counter) -> str:
    """``3x cannot decode (...); 1x empty file``: the five commonest reasons, with their counts."""
    return "; ".join(f"{count}x {reason}" for reason, count in reasons.most_common(5))
