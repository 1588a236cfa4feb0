"""Videos as response bodies: written by ``vpkit.video.files.write_video``, as every vpkit video is."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from vpkit.video.files import write_video

#: The formats the API returns, with their media types.
MEDIA_TYPES = {"gif": "image/gif", "mp4": "video/mp4"}


def encode_video(frames: np.ndarray, fmt: str, fps: float) -> bytes:
    """The bytes of uint8 frames (T, H, W, 3) as a GIF or an MP4 file.

    Through a temporary file, because an MP4 is finished by seeking back to its start.
    """
    with tempfile.TemporaryDirectory(prefix="vpkit-serve-") as folder:
        return write_video(Path(folder) / f"video.{fmt}", frames, fps).read_bytes()
