"""Clip extraction from one video file, shared by every video source.

A video is read with decord, sampled at each requested frame rate, resized on its short side
and centre cropped to the clip size, and cut into clips of the clip length. Clips that span
a scene cut are dropped. Only the frames of the clips kept are decoded, one clip at a time
and already at the reduced size, so memory stays bounded by the clips of one video whatever
its length or resolution.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
import numpy as np

from vpkit.clip_spec import ClipSpec
from vpkit.video.extract_options import ExtractOptions
from vpkit.video.scenecut import spans_cut


class VideoError(Exception):
    """A video that gives no clips: undecodable, truncated, empty, too short, all cuts. ``str`` is the reason."""


@dataclass(frozen=True)
class Window:
    """One clip to cut: ``frames`` are indices into the video, ``start`` is in seconds."""

    fps: float
    start: float
    frames: np.ndarray


@dataclass
class Extraction:
    clips: np.ndarray  # uint8 (N, T, H, W, 3)
    windows: list[Window]


def split_for(key: str, val_fraction: float) -> str:
    """``val`` or ``train`` for a video, from a hash of its key: stable and independent of order."""
    point = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64
    return "val" if point < val_fraction else "train"


def plan_windows(length: int, native_fps: float, clip: ClipSpec, options: ExtractOptions) -> list[Window]:
    """The clips to cut from a video of ``length`` frames at ``native_fps``, before cut detection."""
    windows: list[Window] = []
    stride = options.stride or clip.frames
    for fps in options.fps:
        count = max(1, int(length * fps / native_fps))
        sampled = np.minimum((np.arange(count) * native_fps / fps).astype(np.int64), length - 1)
        if count < clip.frames:
            if options.short_videos == "pad":
                padded = np.concatenate([sampled, np.full(clip.frames - count, sampled[-1])])
                windows.append(Window(fps, 0.0, padded))
            continue
        for first in range(0, count - clip.frames + 1, stride):
            frames = sampled[first : first + clip.frames]
            windows.append(Window(fps, round(float(frames[0]) / native_fps, 3), frames))
    if len(windows) > options.max_clips_per_video:
        keep = np.linspace(0, len(windows) - 1, options.max_clips_per_video).round().astype(int)
        windows = [windows[i] for i in keep]
    return windows


def _open(path: str | os.PathLike, size: int):
    """A decord reader that decodes straight to the short side ``size``, and the crop offsets."""
    import decord

    try:
        if os.path.getsize(path) == 0:
            raise VideoError("empty file")
    except OSError as exc:
        raise VideoError(f"cannot read: {exc.strerror}") from None
    try:
        probe = decord.VideoReader(str(path), ctx=decord.cpu(0))
        if len(probe) == 0:
            raise VideoError("no video frames")
        height, width = probe[0].shape[:2]
        native_fps = probe.get_avg_fps()
        del probe
        scale = size / min(height, width)
        new_h, new_w = max(size, round(height * scale)), max(size, round(width * scale))
        reader = decord.VideoReader(str(path), ctx=decord.cpu(0), width=new_w, height=new_h)
    except (RuntimeError, decord.DECORDError) as exc:  # DECORDError is not a RuntimeError
        raise VideoError(f"cannot decode: {_decord_reason(exc, path)}") from None
    if not native_fps or not np.isfinite(native_fps):
        raise VideoError("no frame rate in the file")
    return reader, native_fps, ((new_h - size) // 2, (new_w - size) // 2)


def extract_clips(path: str | os.PathLike, clip: ClipSpec, options: ExtractOptions) -> Extraction:
    """Cut ``path`` into uint8 clips (N, T, size, size, 3); raise :class:`VideoError` when it gives none."""
    import decord

    reader, native_fps, (top, left) = _open(path, clip.size)
    windows = plan_windows(len(reader), native_fps, clip, options)
    if not windows:
        raise VideoError(f"shorter than one clip ({len(reader) / native_fps:.1f} s)")
    kept, clips = [], []
    for window in windows:
        try:
            unique, inverse = np.unique(window.frames, return_inverse=True)
            frames = reader.get_batch(unique.tolist()).asnumpy()[inverse]
        except (RuntimeError, decord.DECORDError) as exc:
            raise VideoError(f"cannot decode frames (truncated?): {_decord_reason(exc, path)}") from None
        frames = frames[:, top : top + clip.size, left : left + clip.size]
        if options.drop_scene_cuts and spans_cut(frames, options.scene_cut_threshold):
            continue
        kept.append(window)
        clips.append(np.ascontiguousarray(frames))
    if not clips:
        raise VideoError(f"all {len(windows)} clips span scene cuts")
    return Extraction(np.stack(clips), kept)


def _decord_reason(exc: BaseException, path: str | os.PathLike) -> str:
    """decord's message without its log prefix (``[12:00:00] /src/file.cc:83: ``) or the file's path."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    line = re.sub(r"^\[[\d:]+\] \S+:\d+: ", "", lines[0]).replace(str(path), Path(path).name)
    return line.rstrip(".")[:200]
