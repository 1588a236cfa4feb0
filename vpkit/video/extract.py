"""Clip extraction from one video file, shared by every video source.

A video is read with decord (with ffmpeg where decord fails), sampled at each requested frame
rate, and cut into clips of the clip length. Each clip is a square of the clip size cut from the
frames (``crop``: the centre one, tiles side by side, or one at a random place), after the frames
are resized so that the square spans ``crop_scale`` of their short side. Clips that span a scene
cut are dropped. Only the frames of the clips kept are decoded, already at (about) the reduced
size, so memory stays bounded by the clips of one video whatever its length or resolution.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from vpkit.clip_spec import ClipSpec
from vpkit.video import ffmpeg
from vpkit.video.extract_options import ExtractOptions
from vpkit.video.native_log import native_logs_to_debug
from vpkit.video.scenecut import spans_cut


class VideoError(Exception):
    """A video that gives no clips: undecodable, truncated, empty, too short, all cuts.

    ``str`` is a short reason from a small set ("cannot decode ...", "shorter than one clip"),
    so that a summary can group the videos skipped for it; ``detail`` is what this video's
    decoder said, or its length, for the store's manifest.
    """

    def __init__(self, reason: str, detail: str | None = None):
        super().__init__(reason)
        self.detail = detail


@dataclass(frozen=True)
class Window:
    """One clip to cut: ``frames`` are indices into the video, ``start`` is in seconds, and ``crop``
    the square it is cut from, (left, top, side) in the video's own pixels, once it is placed."""

    fps: float
    start: float
    frames: np.ndarray
    crop: tuple[int, int, int] | None = None


@dataclass
class Extraction:
    clips: np.ndarray  # uint8 (N, T, H, W, 3)
    windows: list[Window]


def plan_windows(
    length: int, native_fps: float, clip: ClipSpec, options: ExtractOptions, crops_per_window: int = 1
) -> list[Window]:
    """The stretches of time to cut clips from, in a video of ``length`` frames at ``native_fps``,
    before cut detection. Each gives ``crops_per_window`` clips (tiles), and the cap on clips per
    video counts them all, though one window is always kept."""
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
    cap = max(1, options.max_clips_per_video // crops_per_window)
    if len(windows) > cap:
        keep = np.linspace(0, len(windows) - 1, cap).round().astype(int)
        windows = [windows[i] for i in keep]
    return windows


def extract_clips(path: str | os.PathLike, clip: ClipSpec, options: ExtractOptions) -> Extraction:
    """Cut ``path`` into uint8 clips (N, T, size, size, 3); raise :class:`VideoError` when it gives none.

    decord reads the video where it can; where it cannot open the file, or fails on its frames,
    ffmpeg reads it instead (slower: in one pass, in order).
    """
    try:
        if os.path.getsize(path) == 0:
            raise VideoError("empty file")
    except OSError as exc:
        raise VideoError(f"cannot read: {exc.strerror}") from None
    try:
        return _extract(_DecordVideo(path, decoded_short_side(clip, options)), clip, options)
    except _DecodeFailed as decord_failure:
        try:
            video = _FfmpegVideo(path, decoded_short_side(clip, options))
        except _DecodeFailed as ffmpeg_failure:
            raise VideoError(
                "cannot decode (not a video, or a codec neither decord nor ffmpeg reads)",
                f"decord: {decord_failure}; ffmpeg: {ffmpeg_failure}",
            ) from None
        indexed = decord_failure.length  # the frames decord found in the file's index, when it opened it
        if (video.length < indexed) if indexed else video.probe.truncated:
            declared = indexed or round(video.probe.declared_seconds * video.fps)
            raise VideoError(
                "cannot decode all frames (truncated?)",
                f"{video.length} of {declared} frames decode; decord: {decord_failure}",
            ) from None
        try:
            return _extract(video, clip, options)
        except _DecodeFailed as ffmpeg_failure:
            raise VideoError(
                "cannot decode all frames (truncated?)", f"decord: {decord_failure}; ffmpeg: {ffmpeg_failure}"
            ) from None


def decoded_short_side(clip: ClipSpec, options: ExtractOptions) -> int:
    """The short side frames are resized to, so that a crop of the clip size spans ``crop_scale`` of it.

    Decoders stop at the video's own size: a small crop of a small video is cut at that size and
    enlarged alone, so the frames in memory are never larger than the video's own.
    """
    return round(clip.size / options.crop_scale)


def crop_places(shape: tuple[int, int], size: int, crop: str, rng: np.random.Generator) -> list[tuple[int, int]]:
    """(top, left) of each ``size`` square to cut from frames of ``shape`` (height, width).

    ``tiles`` lays as many squares side by side as fit, the block centred in the frame; ``random``
    places one anywhere in the frame, drawn from ``rng``; ``centre`` places one in the middle.
    """
    height, width = shape
    if crop == "tiles":
        rows, columns = height // size, width // size
        top, left = (height - rows * size) // 2, (width - columns * size) // 2
        return [(top + row * size, left + column * size) for row in range(rows) for column in range(columns)]
    if crop == "random":
        return [(int(rng.integers(0, height - size + 1)), int(rng.integers(0, width - size + 1)))]
    return [((height - size) // 2, (width - size) // 2)]


def _extract(video: _DecordVideo | _FfmpegVideo, clip: ClipSpec, options: ExtractOptions) -> Extraction:
    side = round(options.crop_scale * min(video.scaled))  # the clip size, unless the frames stopped at their own
    rng = np.random.default_rng([video.length, round(video.fps * 1000)])  # random crops: the same for the same file
    per_window = 1 if options.crop == "random" else len(crop_places(video.scaled, side, options.crop, rng))
    windows = plan_windows(video.length, video.fps, clip, options, per_window)
    if not windows:
        raise VideoError("shorter than one clip", f"{video.length / video.fps:.1f} s")
    native = min(video.native) / min(video.scaled)  # native pixels per decoded pixel
    kept, clips = [], []
    for window, frames in zip(windows, video.frames(windows), strict=False):
        # a cut changes the whole frame: it is looked for there, once for all the crops
        if options.drop_scene_cuts and spans_cut(frames, options.scene_cut_threshold):
            continue
        for top, left in crop_places(video.scaled, side, options.crop, rng):
            kept.append(replace(window, crop=(round(left * native), round(top * native), round(side * native))))
            square = frames[:, top : top + side, left : left + side]
            clips.append(np.ascontiguousarray(square if side == clip.size else _resize(square, (clip.size,) * 2)))
    if not clips:
        raise VideoError("all clips span scene cuts", f"all {len(windows)} clips")
    return Extraction(np.stack(clips), kept)


class _DecodeFailed(Exception):
    """One decoder could not read the video; ``length`` is its frame count where it knew it."""

    def __init__(self, reason: str, length: int | None = None):
        super().__init__(reason)
        self.length = length


class _DecordVideo:
    """Random access with decord, decoding straight to (nearly) the size wanted: ``short`` pixels
    on the short side.

    decord fails to scale to some frame widths (8, 12, 16, 24, 48 and 72 pixels: a 3:2 video
    at clip size 32 is 48 wide), so when the first frame does not decode at the size wanted,
    a size a few pixels larger is tried, and the frames are resized to the wanted size here.
    """

    def __init__(self, path: str | os.PathLike, short: int):
        import decord

        self.path, self.length = path, None
        try:
            with native_logs_to_debug():
                probe = decord.VideoReader(str(path), ctx=decord.cpu(0))
                self.length, self.fps = len(probe), probe.get_avg_fps()
                if self.length == 0:
                    raise VideoError("no video frames")
                height, width = probe[0].shape[:2]
                del probe
        except (RuntimeError, decord.DECORDError) as exc:  # DECORDError is not a RuntimeError
            raise _DecodeFailed(_decord_reason(exc, path), self.length) from None
        if not self.fps or not np.isfinite(self.fps):
            raise VideoError("no frame rate in the file")
        short = min(short, height, width)  # never larger than the video's own frames
        self.native, self.scaled = (height, width), _scaled(height, width, short)
        for larger in range(4):
            decoded = _scaled(height, width, short + larger)
            try:
                with native_logs_to_debug():
                    self.reader = decord.VideoReader(str(path), ctx=decord.cpu(0), width=decoded[1], height=decoded[0])
                    self.reader.get_batch([0])
                self.decoded = decoded
                return
            except (RuntimeError, decord.DECORDError) as exc:
                failure = exc
        raise _DecodeFailed(_decord_reason(failure, path), self.length)

    def frames(self, windows: list[Window]) -> Iterator[np.ndarray]:
        """The frames of each window, resized to ``scaled``."""
        import decord

        for window in windows:
            try:
                unique, inverse = np.unique(window.frames, return_inverse=True)
                with native_logs_to_debug():
                    frames = self.reader.get_batch(unique.tolist()).asnumpy()[inverse]
            except (RuntimeError, decord.DECORDError) as exc:
                raise _DecodeFailed(_decord_reason(exc, self.path), self.length) from None
            yield _resize(frames, self.scaled) if self.decoded != self.scaled else frames


class _FfmpegVideo:
    """ffmpeg, for what decord cannot read: the frames are counted first, then read in one pass
    that keeps only those the clips need, each resized as it arrives."""

    def __init__(self, path: str | os.PathLike, short: int):
        try:
            probe = ffmpeg.probe(path)
        except ffmpeg.FfmpegError as exc:
            raise _DecodeFailed(str(exc)) from None
        if probe.frames == 0:
            raise VideoError("no video frames")
        if not probe.fps or not np.isfinite(probe.fps):
            raise VideoError("no frame rate in the file")
        self.path, self.length, self.fps, self.probe = path, probe.frames, probe.fps, probe
        self.native = (probe.size[1], probe.size[0])
        self.scaled = _scaled(*self.native, min(short, *self.native))

    def frames(self, windows: list[Window]) -> Iterator[np.ndarray]:
        """The frames of each window, resized to ``scaled``."""
        needed = {int(i) for window in windows for i in window.frames}
        frames: dict[int, np.ndarray] = {}
        try:
            for index, frame in enumerate(ffmpeg.read_frames(self.path)):
                if index in needed:
                    frames[index] = _resize(frame[None], self.scaled)[0]
        except ffmpeg.FfmpegError as exc:
            raise _DecodeFailed(str(exc), self.length) from None
        if not needed <= frames.keys():
            raise _DecodeFailed(f"{len(needed - frames.keys())} frames of {self.length} did not decode", self.length)
        for window in windows:
            yield np.stack([frames[int(i)] for i in window.frames])


def _scaled(height: int, width: int, short: int) -> tuple[int, int]:
    """(height, width) with the short side resized to ``short``, the aspect ratio kept."""
    scale = short / min(height, width)
    return max(short, round(height * scale)), max(short, round(width * scale))


def _resize(frames: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """uint8 frames (N, H, W, 3) resized to ``shape`` (height, width), antialiased."""
    from PIL import Image

    target = (shape[1], shape[0])
    return np.stack([np.asarray(Image.fromarray(f).resize(target, Image.Resampling.BILINEAR)) for f in frames])


def _decord_reason(exc: BaseException, path: str | os.PathLike) -> str:
    """decord's message without its log prefix (``[12:00:00] /src/file.cc:83: ``) or the file's path."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    line = re.sub(r"^\[[\d:]+\] \S+:\d+: ", "", lines[0]).replace(str(path), Path(path).name)
    return line.rstrip(".")[:200]
