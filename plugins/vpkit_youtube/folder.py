"""The ``folder`` source: the video files under a directory, so users can train on their own footage."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from vpkit import (
    FOOTAGE_SUFFIXES,
    ClipWriter,
    Video,
    VideoSource,
    VpkitError,
    shard_key,
)
from vpkit_youtube.declarations import FolderSourceDeclaration


class FolderSource(FolderSourceDeclaration, VideoSource):
    """Lists the files under ``path``; each is its own input (shard), keyed by its relative path."""

    def videos(self, writer: ClipWriter) -> Iterator[Video]:
        root = self.root
        if not root.is_dir():
            raise VpkitError(f"source.path: {root} is not a directory")
        pattern = "**/*" if self.config.recursive else "*"
        found = sorted(p for p in root.glob(pattern) if p.suffix.lower() in FOOTAGE_SUFFIXES)
        if not found:
            raise VpkitError(f"source.path: no video files ({', '.join(FOOTAGE_SUFFIXES)}) in {root}")
        for path in found:
            relative = path.relative_to(root).as_posix()
            # the hash keeps keys distinct where unsafe characters or truncation would merge them
            digest = hashlib.sha256(relative.encode()).hexdigest()[:8]
            key = shard_key(Path(relative).with_suffix("").as_posix()[:100], digest)
            yield Video(key, relative, path.as_uri(), path.stem, skip=_not_a_file(path))

    def fetch(self, video: Video) -> Path:
        return self.root / video.id

    @property
    def root(self) -> Path:
        """The folder, absolute: a relative ``path`` is from the working directory."""
        return Path(self.config.path).expanduser().absolute()


def _not_a_file(path: Path) -> str | None:
    """Why ``path``, named like a video, is not one to read; None for a regular file."""
    if path.is_file():
        return None
    if path.is_dir():
        return "a folder, not a video file"
    if path.is_symlink():
        return "a broken link (its target is gone)"
    return "not a regular file"
