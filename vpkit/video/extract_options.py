"""How clips are cut from a video: the options every video source's ``Config`` extends.

Apart from the extraction itself (:mod:`vpkit.video.extract`) so that a source's options are
read and validated without numpy or a decoder: ``vpkit validate`` stays quick.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from vpkit.components import Options
from vpkit.errors import shown

#: The highest sampling rate: footage is rarely faster, and a faster rate only repeats frames
#: (a rate of 1e300 would plan more windows than memory holds).
MAX_FPS = 240


class ExtractOptions(Options):
    """How clips are cut from a video; the ``Config`` of a video source extends it."""

    fps: list[float] = Field(
        default_factory=lambda: [8.0],
        description="Frame rates to sample at (up to 240); each gives its own clips. "
        "A rate above the video's own repeats frames.",
    )
    stride: int | None = Field(None, gt=0, description="Sampled frames between clip starts; default the clip length.")
    max_clips_per_video: int = Field(64, gt=0, description="Cap on clips from one video, spread evenly through it.")
    drop_scene_cuts: bool = Field(True, description="Drop clips that span a scene cut.")
    scene_cut_threshold: float = Field(
        0.5, gt=0, le=1, description="Colour-histogram change between two frames (0..1) counted as a cut."
    )
    short_videos: Literal["pad", "skip"] = Field(
        "pad", description="A video shorter than one clip: pad it by repeating its last frame, or skip it."
    )
    crop: Literal["centre", "tiles", "random"] = Field(
        "centre",
        description="Which squares of each frame become clips: the centre one, a grid of tiles side by side "
        "(each its own clip), or one at a random place per clip.",
    )
    crop_scale: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Side of a crop as a share of the frame's short side: 1 takes the whole short side; "
        "0.5 a square half as tall, so what moves in it comes out twice as big.",
    )
    val_fraction: float = Field(
        0.1,
        ge=0,
        lt=1,
        description="Share of clips held out for validation, approached by holding out whole videos.",
    )

    @field_validator("fps", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, (int, float)) else value

    @field_validator("fps")
    @classmethod
    def _positive_rates(cls, value: list[float]) -> list[float]:
        if not value or any(not 0 < rate <= MAX_FPS for rate in value):
            raise ValueError(f"expected one or more frame rates > 0 and <= {MAX_FPS}, got {shown(value)}")
        return sorted(set(value))
