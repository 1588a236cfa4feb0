"""What a run file can say about the ``synthetic`` source, without numpy or the renderer:
its name, options and the clips it can draw. The source (``source``) subclasses it.
"""

from __future__ import annotations

from pydantic import Field

from vpkit import ClipSpec, Options, Source


class SyntheticSourceDeclaration(Source):
    """Basketball-like clips drawn from (seed, clip index), at the run's clip length and size.

    Val clips take indices ``0 .. val_clips - 1`` and train clips the ones after, so the
    val set stays the same when only ``train_clips`` changes.
    """

    name = "synthetic"
    implementation = "vpkit_synthetic.source:SyntheticSource"

    class Config(Options):
        train_clips: int = Field(512, gt=0, description="Clips in the train split.")
        val_clips: int = Field(64, ge=0, description="Clips in the val split.")
        seed: int = Field(0, ge=0, description="Rendering seed: the same seed gives the same clips.")
        clips_per_shard: int = Field(64, gt=0, description="Clips per shard file in the clip store.")
        max_players: int = Field(2, ge=1, le=4, description="Each clip has 1 to this many players.")
        stride: int = Field(
            1,
            ge=1,
            le=8,
            description="Game frames per clip frame: 1 is 15 frames per second (a player runs about a pixel a frame "
            "at 32 x 32), 2 or more the same game sampled more sparsely, so that each frame moves more.",
        )

    @classmethod
    def check_clip(cls, config: Config, clip: ClipSpec) -> None:
        if clip.frames < 1:
            raise ValueError(f"needs at least 1 frame, got {clip.frames}")
        if clip.size < 8:
            raise ValueError(f"needs a size of at least 8 pixels, got {clip.size}")
