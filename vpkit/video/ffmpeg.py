"""Reading video with the ffmpeg binary that imageio-ffmpeg ships: the fallback where decord fails.

decord cannot open some containers and codecs that ffmpeg decodes (AV1 in WebM, for one), and
fails on some files it opens. ffmpeg reads them frame by frame, in order, through a pipe:
slower than decord's random access, but it reads what decord cannot.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


class FfmpegError(Exception):
    """ffmpeg could not read the file; ``str`` is its reason."""


@dataclass(frozen=True)
class Probe:
    """What ffmpeg says of a video: the frames it decodes and their duration, the frame rate,
    the size (width, height), and the duration the container declares (0 when it declares none)."""

    frames: int
    seconds: float
    fps: float
    size: tuple[int, int]
    declared_seconds: float

    @property
    def truncated(self) -> bool:
        """The frames that decode end well before the container says the video does."""
        return bool(self.declared_seconds and self.fps) and self.seconds + 2 / self.fps < self.declared_seconds


def probe(path: str | os.PathLike) -> Probe:
    """Count the frames of ``path`` (ffmpeg decodes it once to do so) and read its rate and size."""
    import imageio_ffmpeg

    try:
        count, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
        stream = imageio_ffmpeg.read_frames(str(path))
        try:
            meta = next(stream)
        finally:
            stream.close()
    except (OSError, RuntimeError, StopIteration) as exc:
        raise FfmpegError(_reason(exc)) from None
    return Probe(
        int(count), float(seconds), float(meta.get("fps") or 0), tuple(meta["size"]), float(meta.get("duration") or 0)
    )


def read_frames(path: str | os.PathLike) -> Iterator[np.ndarray]:
    """Every frame of ``path`` in order, as uint8 (H, W, 3) at the video's own size."""
    import imageio_ffmpeg

    try:
        stream = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
        width, height = next(stream)["size"]
    except (OSError, RuntimeError, StopIteration) as exc:
        raise FfmpegError(_reason(exc)) from None
    try:
        for frame in stream:
            yield np.frombuffer(frame, np.uint8).reshape(height, width, 3)
    except (OSError, RuntimeError) as exc:
        raise FfmpegError(_reason(exc)) from None
    finally:
        stream.close()


def _reason(exc: BaseException) -> str:
    """ffmpeg's last line of complaint, which names the problem ("Invalid data found ...")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1][:200] if lines else type(exc).__name__
