"""What a run file can say about each VideoGAN network, without importing torch: names,
options, traits and the clips each can make. The networks (``generator``, ``future``,
``discriminator``) subclass these declarations, and are imported only when a run builds them.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from vpkit import ClipSpec, Component, GeneratorTraits, Options
from vpkit_videogan.shapes import PyramidClips

#: Each x2 upsampling of a generator: the paper's transposed convolution, or resize-then-convolve
#: (see ``layers``).
UpsampleMode = Literal["transposed", "resize"]


def width_option(default: float, meaning: str) -> Any:
    return Field(default, gt=0, description=f"Channel-width multiplier; {meaning}.")


def mask_penalty_option(default: float, meaning: str) -> Any:
    return Field(default, ge=0, description=f"Weight of the L1 sparsity penalty on the mask, mean |m|; {meaning}.")


def max_speed_option() -> Any:
    return Field(
        None,
        gt=0,
        description="For the splatted foreground: the fastest a pixel may travel on each axis, in pixels per "
        "frame (the learnt velocity is tanh-shaped up to it; with matched_motion, the matched velocity plus its "
        "correction is clamped to it). Near the real movers' top speed it keeps the pixel loss from throwing "
        "what it cannot place out of the frame; None is an eighth of the frame's side (4 pixels per frame at 32).",
    )


def velocity_pooling_option() -> Any:
    return Field(
        0,
        ge=0,
        description="For the splatted foreground: each moving pixel travels at the mean velocity of the moving "
        "pixels within this many pixels (weighted by the moving mask), so that one player's pixels travel "
        "together instead of scattering into dots; 0 keeps every pixel's own velocity.",
    )


def check_splatted_options(config: Any, options: tuple[str, ...]) -> None:
    """Each of ``options`` that is set needs ``foreground: splatted``."""
    for option in options:
        if getattr(config, option) and config.foreground != "splatted":
            raise ValueError(f"{option} is for foreground: splatted (got {config.foreground})")


class TwoStreamOptions(Options):
    """The options both two-stream generators share, each described once."""

    mask_bias: float = Field(
        0.0,
        description="Initial bias of the mask logits (the paper: 0); negative starts the mask near 0, "
        "the video near its static background.",
    )
    init: Literal["paper", "default"] = Field(
        "paper",
        description="Weight initialisation: the paper's N(0, 0.01), or PyTorch's default (Kaiming uniform).",
    )
    upsample: UpsampleMode = Field(
        "transposed",
        description="Each x2 upsampling: the paper's transposed convolution, or a nearest-neighbour resize "
        "then a kernel-3 convolution (no stripe or checkerboard artefacts; Odena et al. 2016).",
    )


class TwoStreamDeclaration(PyramidClips, GeneratorTraits):
    #: The original code gave the generator an extra update every third iteration.
    default_schedule: ClassVar[dict[str, int]] = {"d_steps": 1, "g_steps": 1, "g_extra_every": 3}


class VideoGANGeneratorDeclaration(TwoStreamDeclaration):
    """Unconditional two-stream generator; for 32 frames of 64 x 64 it is the paper's network."""

    name = "videogan"
    implementation = "vpkit_videogan.generator:VideoGANGenerator"
    conditional = False

    class Config(TwoStreamOptions):
        latent_dim: int = Field(100, gt=0, description="Size of the latent vector z.")
        width: float = width_option(1.0, "1 gives the paper's 512-256-128-64")
        mask_penalty: float = mask_penalty_option(0.1, "0 disables it")
        foreground: Literal["generated", "velocity", "splatted"] = Field(
            "generated",
            description="The moving stream's pixels: painted by a 3-D head (the paper), the generated background "
            "warped by one predicted velocity field times the frames since the clip's middle (a constant-velocity "
            "prior: what moves keeps its look and cannot flicker), or the background as the first frame with its "
            "moving pixels carried forward by such a field (a forward warp: the mask is what they cover, and a "
            "learned residual in-paints only the ground they leave), so that a frame can change only by moving.",
        )
        max_speed: float | None = max_speed_option()
        velocity_pooling: int = velocity_pooling_option()

        @model_validator(mode="after")
        def _options_that_need_others(self) -> Any:
            check_splatted_options(self, ("max_speed", "velocity_pooling"))
            return self


#: Options of ``videogan_future`` that were renamed, and what each is called now.
RENAMED_FUTURE_OPTIONS = {"lambda_rec": "context_weight"}


class VideoGANFutureGeneratorDeclaration(TwoStreamDeclaration):
    """Context frames -> video; from one frame, at the default width 2 and 32 frames of 64 x 64, the paper's network."""

    name = "videogan_future"
    implementation = "vpkit_videogan.future:VideoGANFutureGenerator"
    conditional = True

    class Config(TwoStreamOptions):
        width: float = width_option(
            2.0, "2 gives the paper's 128-256-512-1024 (pair with a videogan discriminator of width 2)"
        )
        context_weight: float = Field(
            10.0,
            ge=0,
            description="Weight of mean |generated context frames - real context frames| (the paper's lambda, on "
            "its one frame; the whole clip's distance to the real one is the trainer's train.reconstruction); "
            "0 disables it.",
        )
        mask_penalty: float = mask_penalty_option(0.0, "off by default, as in the reference code")
        background: Literal["learned", "input", "input_residual", "inpainted"] = Field(
            "learned",
            description="Static background: decoded from the code (the paper), the input frame itself, "
            "the input frame plus a learned residual that starts at zero, or (with the splatted foreground) "
            "that residual only where the moving mask carries the frame's pixels away: what does not move "
            "stays, so a player can leave its place but cannot be erased where it stands.",
        )
        fill_radius: int = Field(
            0,
            ge=0,
            description="With background: inpainted: the ground a mover leaves starts from the mean of the pixels "
            "within this many pixels that stay (a normalised convolution, as a hole is filled from its edges), and "
            "the learned residual corrects that; 0 starts it from the mover's own colours, which the residual "
            "has to paint over.",
        )
        skips: bool = Field(
            False, description="Add the encoder's features to both decoding streams, level by level (U-Net style)."
        )
        noise: int = Field(
            0,
            ge=0,
            description="Size of a per-clip latent z decoded with the code by the moving stream, so that one frame "
            "has many futures; 0 (the paper) takes no noise: one future per frame.",
        )
        posterior: bool = Field(
            False,
            description="Train with z inferred from the real clip by an encoder of its frames (a VAE's posterior, "
            "as SVG and SAVP do), so that the future the loss scores is the one z describes and a mover placed "
            "right pays more than a mover erased; its KL divergence from N(0, I), weighted by kl_weight, joins "
            "the loss. Sampling draws z from N(0, I). Needs noise > 0.",
        )
        kl_weight: float = Field(
            1e-3, ge=0, description="Weight of the posterior's KL divergence from N(0, I), in nats per clip."
        )
        foreground: Literal["generated", "warped", "velocity", "splatted"] = Field(
            "generated",
            description="The moving stream's pixels: painted by a 3-D head (the paper), the last context frame "
            "warped by a predicted flow per frame, so that what moves keeps its look (a backward warp with "
            "grid_sample), that frame warped by one predicted velocity field times the frames since it "
            "(a constant-velocity prior), or that frame's moving pixels carried forward by such a field "
            "(a forward warp: the mask is what they cover, and the background fills in behind them).",
        )
        matched_motion: bool = Field(
            False,
            description="For the splatted foreground with two context frames or more: the velocity and the mask of "
            "what moves start from the matching costs alone (their soft-argmin, as stereo networks read a cost "
            "volume, and where the best match beats standing still), and the network learns a correction to both, "
            "so that the untrained model already carries the players forward.",
        )
        max_speed: float | None = max_speed_option()
        velocity_pooling: int = velocity_pooling_option()
        hard_mask: bool = Field(
            False,
            description="For the splatted foreground: each pixel of the last context frame moves away whole or stays "
            "whole (the moving mask rounded at 0.5 in the forward pass, its gradient the sigmoid's: a straight-through "
            "estimator, Bengio et al. 2013), so that a pixel loss cannot hedge a player's uncertain place by moving "
            "half of it and leaving the other half behind.",
        )
        velocity_noise: int = Field(
            0,
            ge=0,
            description="For the splatted foreground with noise: z also draws a velocity on a grid of this many "
            "cells a side (a fixed random map of z, tanh-bounded by max_speed) that adds to the predicted one, so "
            "that the samples of one context move in different directions however training goes; for one context "
            "frame, where the direction is not in the input. 0 turns it off.",
        )
        flow_smoothness: float = Field(
            0.0,
            ge=0,
            description="Weight of the mean absolute difference between the flows of neighbouring pixels (a "
            "total-variation penalty, as optical-flow methods use), so that the pixels of one player share one "
            "motion instead of scattering; for the warped, velocity and splatted foregrounds. 0 turns it off.",
        )
        mask_max: float = Field(
            1.0,
            gt=0,
            le=1,
            description="Upper bound of the mask: below 1 the foreground can only fade into the background, never "
            "replace it, so an unpredictable object fades part of the way instead of being erased into a blur.",
        )

        @model_validator(mode="after")
        def _options_that_need_others(self) -> Any:
            if self.posterior and not self.noise:
                raise ValueError("posterior infers the latent z: it needs noise > 0")
            if self.velocity_noise and not self.noise:
                raise ValueError("velocity_noise draws a velocity from z: it needs noise > 0")
            check_splatted_options(
                self, ("matched_motion", "max_speed", "velocity_pooling", "velocity_noise", "hard_mask")
            )
            if self.background == "inpainted" and self.foreground != "splatted":
                raise ValueError(f"background: inpainted fills in behind foreground: splatted (got {self.foreground})")
            if self.fill_radius and self.background != "inpainted":
                raise ValueError(f"fill_radius fills the ground behind background: inpainted (got {self.background})")
            return self

        @model_validator(mode="before")
        @classmethod
        def _renamed(cls, data: Any) -> Any:
            for old, new in RENAMED_FUTURE_OPTIONS.items():
                if isinstance(data, dict) and old in data:
                    raise ValueError(f"{old} was renamed {new} (got {old}: {data[old]!r})")
            return data

    @classmethod
    def check_clip(cls, config: Config, clip: ClipSpec) -> None:
        super().check_clip(config, clip)
        if config.matched_motion and clip.context < 2:
            raise ValueError(
                f"matched_motion reads the motion between two context frames: clip.context is {clip.context}"
            )


class VideoGANDiscriminatorDeclaration(PyramidClips, Component):
    """Halves time, height and width per level, then one logit from the ``t0 x 4 x 4`` core."""

    name = "videogan"
    implementation = "vpkit_videogan.discriminator:VideoGANDiscriminator"

    class Config(Options):
        width: float = Field(1.0, gt=0, description="Channel-width multiplier.")
        norm: Literal["batch", "spectral"] = Field(
            "batch",
            description="Normalisation: the paper's batch norm after every hidden convolution, or spectral "
            "normalisation of every convolution and no batch norm (Miyato et al. 2018).",
        )
        frames: int = Field(
            0,
            ge=0,
            description="Random frames of each clip that a 2-D discriminator judges beside the 3-D one (MoCoGAN, "
            "DVD-GAN), so that every frame must look real on its own; its mean logit is added to the video's. "
            "0 (the paper) has none.",
        )
