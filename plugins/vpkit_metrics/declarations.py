"""What a run file can say about each metric, without importing torch: names, options,
traits and the clips each can score. The metrics (``fvd``, ``lpips_metric``, ``ssim``,
``psnr``) subclass these declarations and are imported only when something is scored.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vpkit import ClipSpec, Metric, Options

#: Three stride-2 steps of I3D in time leave ceil(T / 8) steps; its final 2 x 7 x 7 average
#: pool needs at least two of them.
MIN_FRAMES = 9
#: Smallest frame side each LPIPS backbone's pooling layers can take.
LPIPS_MIN_SIZE = {"alex": 31, "vgg": 16}
#: SSIM's 11-tap window needs frames of at least this many pixels a side.
SSIM_MIN_SIZE = 11


def check_frames(frames: int) -> None:
    """Raise ``ValueError`` unless clips of ``frames`` frames survive I3D's temporal pooling."""
    if frames < MIN_FRAMES:
        raise ValueError(f"FVD's I3D needs clips of at least {MIN_FRAMES} frames, got {frames}")


def check_lpips_size(net: str, size: int) -> None:
    if size < LPIPS_MIN_SIZE[net]:
        raise ValueError(f"LPIPS ({net}) needs frames of at least {LPIPS_MIN_SIZE[net]} pixels, got {size}")


def check_ssim_size(size: int) -> None:
    if size < SSIM_MIN_SIZE:
        raise ValueError(f"SSIM needs frames of at least {SSIM_MIN_SIZE} pixels, got {size}")


class FVDConfig(Options):
    weights: str | None = Field(
        None,
        description="i3d_pretrained_400.pt to use; default $VPKIT_I3D_WEIGHTS, else downloaded once into the cache.",
    )
    weights_url: str | None = Field(None, description="Download from this URL instead of the pinned mirrors.")
    weights_sha256: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$", description="Expected SHA-256 of a download from weights_url."
    )
    batch_size: int = Field(8, gt=0, description="Videos per I3D forward pass.")
    warn_below: int = Field(256, ge=0, description="Warn when either set has fewer videos than this.")


class FVDDeclaration(Metric):
    name = "fvd"
    implementation = "vpkit_metrics.fvd:FVD"
    paired = False
    lower_is_better = True
    order_check = True
    Config = FVDConfig

    @classmethod
    def check_clip(cls, config: FVDConfig, clip: ClipSpec) -> None:
        check_frames(clip.frames)


class LPIPSConfig(Options):
    net: Literal["alex", "vgg"] = Field("alex", description="Backbone: alex (the LPIPS default) or vgg.")
    batch_size: int = Field(64, gt=0, description="Frames per forward pass.")


class LPIPSDeclaration(Metric):
    name = "lpips"
    implementation = "vpkit_metrics.lpips_metric:LPIPS"
    paired = True
    lower_is_better = True
    Config = LPIPSConfig

    @classmethod
    def check_clip(cls, config: LPIPSConfig, clip: ClipSpec) -> None:
        check_lpips_size(config.net, clip.size)


class LumaFrameDeclaration(Metric):
    """A paired metric scored per luma frame, where higher is better."""

    paired = True
    lower_is_better = False


class SSIMDeclaration(LumaFrameDeclaration):
    name = "ssim"
    implementation = "vpkit_metrics.ssim:SSIM"

    @classmethod
    def check_clip(cls, config: Options, clip: ClipSpec) -> None:
        check_ssim_size(clip.size)


class PSNRDeclaration(LumaFrameDeclaration):
    name = "psnr"
    implementation = "vpkit_metrics.psnr:PSNR"


class MotionConfig(Options):
    moving_above: float = Field(
        10, ge=0, lt=255, description="A pixel counts as moving when it changes by more than this (0..255)."
    )
    static_below: float = Field(
        0.1, ge=0, description="A sample is static when its motion energy is below this times the real clips' median."
    )
    too_still: float = Field(0.7, gt=0, description="Verdict 'too still' when the motion ratio is below this.")
    flickers: float = Field(1.3, gt=1, description="Verdict 'flickers' when the motion ratio is above this.")
    share_band: tuple[float, float] = Field(
        (0.5, 2.0), description="The moving share's ratio to the real clips' must lie in this band as well."
    )


class MotionDeclaration(Metric):
    """Motion energy of the model's clips against the real clips' (a ratio; 1 is right), with the
    moving share, the share of static samples and a verdict (see :mod:`vpkit_metrics.motion`)."""

    name = "motion"
    implementation = "vpkit_metrics.motion:Motion"
    paired = False
    target = 1.0
    in_every_evaluation = True
    Config = MotionConfig

    @classmethod
    def check_clip(cls, config: MotionConfig, clip: ClipSpec) -> None:
        if clip.frames < 2:
            raise ValueError(f"motion needs clips of at least 2 frames, got {clip.frames}")
