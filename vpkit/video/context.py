"""Context frames from files: what ``vpkit predict`` and ``vpkit serve`` hand a conditional model.

A model with ``clip.context`` k is given k real frames. With k = 1 each image is one context.
With k > 1 a context is either a short video (its first k frames) or k images in order.
Every frame is brought to the model's square size as a still image is (:func:`fit_square`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from vpkit.errors import VpkitError
from vpkit.video.files import READABLE_SUFFIXES, read_video
from vpkit.video.images import fit_square, load_frame

#: Files read as videos when a model takes more than one context frame (a GIF too: vpkit writes them).
VIDEO_SUFFIXES = READABLE_SUFFIXES


@dataclass(frozen=True)
class Context:
    """One prediction's input: a name (for its output file) and uint8 frames (k, size, size, 3)."""

    name: str
    frames: np.ndarray


def is_video(name: str, context: int) -> bool:
    """Whether a file named ``name`` is read as a video: only when more than one frame is wanted."""
    return context > 1 and Path(name).suffix.lower() in VIDEO_SUFFIXES


def video_context(path: Path, size: int, context: int, name: str | None = None) -> np.ndarray:
    """The first ``context`` frames of a video file, each fitted to ``size``."""
    name = name or str(path)
    frames = read_video(path)
    if len(frames) < context:
        raise VpkitError(f"{name}: {len(frames)} frame(s); the model needs {context} context frames")
    return np.stack([fit_square(frame, size) for frame in frames[:context]])


def upload_context(files: list[tuple[str, BinaryIO]], size: int, context: int, max_pixels: int) -> np.ndarray:
    """The context frames of one request: one image (k = 1), one video, or k images in order."""
    if len(files) == 1 and is_video(files[0][0], context):
        name, data = files[0]
        with tempfile.NamedTemporaryFile(suffix=Path(name).suffix.lower()) as tmp:
            tmp.write(data.read())
            tmp.flush()
            return video_context(Path(tmp.name), size, context, name)
    if len(files) != context:
        raise VpkitError(wanted(context, len(files)))
    return np.stack([load_frame(data, size, name=name, max_pixels=max_pixels) for name, data in files])


def file_contexts(paths: list[Path], size: int, context: int) -> list[Context]:
    """The contexts of ``vpkit predict``'s inputs (files, already expanded from folders).

    k = 1: one per image. k > 1: one per video, or, when every input is an image, exactly k of
    them making one context (named after the first).
    """
    if context == 1:
        return [Context(path.stem, load_frame(path, size)[None]) for path in paths]
    videos = [path for path in paths if is_video(path.name, context)]
    if videos and len(videos) < len(paths):
        raise VpkitError("give either videos (one prediction each) or images (one prediction from all), not both")
    if videos:
        return [Context(path.stem, video_context(path, size, context)) for path in paths]
    if len(paths) != context:
        raise VpkitError(wanted(context, len(paths)))
    return [Context(paths[0].stem, np.stack([load_frame(path, size) for path in paths]))]


def wanted(context: int, given: int) -> str:
    return (
        f"the model takes {context} context frames: give {context} images in order, or a video "
        f"(its first {context} frames); got {given} image(s)"
    )
