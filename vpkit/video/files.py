"""Video helpers shared by the engine and plugins: tensor <-> uint8 conversion, reading, writing.

In memory a video batch is float32 in [-1, 1], shape (B, 3, T, H, W); on disk and in the
clip store a clip is uint8 (T, H, W, 3).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from vpkit.atomic import WriteError, atomic_path
from vpkit.errors import ConfigError, VpkitError, reason_of
from vpkit.video.ffmpeg import FfmpegError, read_frames
from vpkit.video.native_log import native_logs_to_debug

FOOTAGE_SUFFIXES = (".mp4", ".webm", ".mkv", ".avi", ".mov")
"""Containers of camera footage, which clip extraction (decord) reads."""
#: What :func:`read_video` reads: footage, plus the GIFs vpkit writes.
READABLE_SUFFIXES = (*FOOTAGE_SUFFIXES, ".gif")
#: What :func:`write_video` writes.
WRITABLE_SUFFIXES = (".gif", ".mp4")


def clips_to_tensor(clips: np.ndarray | torch.Tensor, device: torch.device | str = "cpu") -> torch.Tensor:
    """uint8 (B, T, H, W, 3) -> float32 (B, 3, T, H, W) in [-1, 1] on ``device``.

    The uint8 data crosses to the device before the conversion, which moves 4x fewer bytes.
    """
    batch = torch.as_tensor(clips).to(device, non_blocking=True)
    return batch.permute(0, 4, 1, 2, 3).float().div_(127.5).sub_(1.0)


def tensor_to_clips(video: torch.Tensor) -> np.ndarray:
    """float (B, 3, T, H, W) in [-1, 1] -> uint8 (B, T, H, W, 3), rounding to nearest."""
    scaled = (video.detach().float().clamp(-1, 1) + 1) * 127.5
    return scaled.round().to(torch.uint8).permute(0, 2, 3, 4, 1).cpu().numpy()


def check_video_path(path: str | os.PathLike) -> Path:
    """``path`` if its suffix names a format :func:`write_video` writes, else a user error."""
    path = Path(path)
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        raise ConfigError(f"{path}: unknown video extension {path.suffix!r}; use {' or '.join(WRITABLE_SUFFIXES)}")
    return path


def write_video(path: str | os.PathLike, frames: np.ndarray, fps: float = 8.0) -> Path:
    """Write uint8 frames (T, H, W, 3) as an animated GIF or an H.264 MP4, chosen by suffix.

    The file appears atomically: a reader never sees a half-written video. A path that
    cannot be written is a user error, not a traceback.
    """
    path = check_video_path(path)
    frames = np.ascontiguousarray(frames, dtype=np.uint8)
    if frames.ndim != 4 or frames.shape[-1] != 3:
        raise ValueError(f"frames must be (T, H, W, 3), got {frames.shape}")
    try:
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".gif":
                _write_gif(tmp, frames, fps)
            else:
                _write_mp4(tmp, frames, fps)
    except OSError as exc:
        raise WriteError(path, exc, "the video") from None
    return path


def _write_gif(path: Path, frames: np.ndarray, fps: float) -> None:
    from PIL import Image

    images = [Image.fromarray(frame) for frame in frames]
    duration = max(20, round(1000 / fps))
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:], duration=duration, loop=0)


def _write_mp4(path: Path, frames: np.ndarray, fps: float) -> None:
    import imageio_ffmpeg

    # yuv420p (what every player reads) needs even sides: pad by repeating the edge.
    _, h, w, _ = frames.shape
    frames = np.pad(frames, ((0, 0), (0, h % 2), (0, w % 2), (0, 0)), mode="edge")
    writer = imageio_ffmpeg.write_frames(
        str(path),
        (frames.shape[2], frames.shape[1]),
        fps=fps,
        codec="libx264",
        pix_fmt_out="yuv420p",
        macro_block_size=1,
        ffmpeg_log_level="error",
        output_params=["-f", "mp4"],
    )
    writer.send(None)
    for frame in frames:
        writer.send(frame)
    writer.close()


def read_video(path: str | os.PathLike) -> np.ndarray:
    """Decode every frame of a video file: uint8 (T, H, W, 3).

    decord first; GIFs (what vpkit writes for samples) with Pillow, since decord cannot
    measure their length; and ffmpeg where decord cannot open a file (AV1 in WebM, for one)
    or fails on its frames.
    """
    path = Path(path)
    if path.suffix.lower() == ".gif":
        return _read_gif(path)
    import decord

    try:
        with native_logs_to_debug():
            reader = decord.VideoReader(str(path), ctx=decord.cpu(0))
            if len(reader) == 0:
                raise VpkitError(f"{path}: video has no frames")
            return reader.get_batch(list(range(len(reader)))).asnumpy()
    except (decord.DECORDError, RuntimeError) as exc:  # decord raises RuntimeError for unreadable files
        frames = _read_ffmpeg(path)
        if frames is None:
            raise VpkitError(f"{path}: cannot decode video ({reason_of(exc)})") from None
        return frames


def _read_ffmpeg(path: Path) -> np.ndarray | None:
    try:
        frames = list(read_frames(path))
    except FfmpegError:
        return None
    return np.stack(frames) if frames else None


def _read_gif(path: Path) -> np.ndarray:
    from PIL import Image, ImageSequence

    try:
        with Image.open(path) as image:
            return np.stack([np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)])
    except OSError as exc:
        raise VpkitError(f"{path}: cannot decode GIF ({exc})") from None
