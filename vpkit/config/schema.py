"""The run-file schema: every section, its keys, defaults, bounds and descriptions.

Component blocks (``source``, ``model.generator``, ...) hold ``name:`` plus options that
the named component's own ``Config`` validates, so the schema leaves them open here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from vpkit.components import KINDS, Options
from vpkit.devices import check_device

#: Where single component blocks sit in a run file, and the kind each names (from KINDS).
BLOCKS: dict[tuple[str, ...], str] = {kind.run_file: kind.name for kind in KINDS.values() if not kind.many}
#: Run-file keys that hold a list of component blocks, and the kind of each.
BLOCK_LISTS: dict[str, str] = {kind.run_file[0]: kind.name for kind in KINDS.values() if kind.many}


class ClipConfig(Options):
    frames: int = Field(32, gt=0, description="Frames per clip.")
    size: int = Field(64, gt=0, description="Height and width of every frame, in pixels.")
    context: int = Field(
        1,
        ge=1,
        description="Real frames a conditional generator is given (1: a single image; 2 shows velocity); it "
        "predicts the rest, and paired metrics score only the predicted frames. Unconditional models ignore it.",
    )

    @model_validator(mode="after")
    def _context_leaves_frames_to_predict(self) -> ClipConfig:
        if self.context >= self.frames:
            raise ValueError(
                "context must be below frames, to leave frames to predict; "
                f"got context {self.context}, frames {self.frames}"
            )
        return self


class ComponentBlock(Options):
    name: str
    model_config = ConfigDict(extra="allow")

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class ModelConfig(Options):
    generator: ComponentBlock = Field(description="`name:` of a registered generator, plus its options.")
    discriminator: ComponentBlock = Field(description="`name:` of a registered discriminator, plus its options.")


class ScheduleConfig(Options):
    d_steps: int = Field(1, ge=1, description="Discriminator updates per step.")
    g_steps: int = Field(1, ge=1, description="Generator updates per step.")
    g_extra_every: int = Field(
        0, ge=0, description="One more generator update on every k-th step (1-based); 0 turns it off."
    )


class ReconstructionConfig(Options):
    weight: float = Field(
        0.0,
        ge=0,
        description="Weight of the distance between a conditional prediction and its real clip, all frames; "
        "0 turns it off.",
    )
    loss: Literal["l1", "l2"] = Field("l1", description="The distance: mean absolute (l1) or mean squared (l2) error.")
    gradient: float = Field(
        0.0,
        ge=0,
        description="Weight, within the reconstruction loss, of the gradient-difference loss (Mathieu et al. 2016) "
        "beside the distance, meant to keep edges as sharp as the real clip's where the distance alone blurs; "
        "0 turns it off.",
    )
    samples: int = Field(
        1,
        ge=1,
        description="Predictions drawn per context, of which only the closest to the real clip counts (the "
        "best-of-many loss of Bhattacharyya et al. 2018): with noise, the model can cover several futures instead "
        "of averaging them.",
    )
    scales: int = Field(
        1,
        ge=1,
        le=4,
        description="Scales the distance is averaged over: the clips, then their frames averaged over 2 x 2 "
        "pixel blocks, and so on (at the coarser ones a mover put a pixel or two from its place still "
        "overlaps the real one, so moving it near its place pays more than fading it); 1 is the clips alone.",
    )
    block: Literal[1, 2, 4, 8] = Field(
        1,
        description="Side of the pixel blocks each frame is averaged over before the distance, the finest of the "
        "scales: 1 is the pixels. On the quickstart data a player carried forward at a constant velocity is "
        "farther from the real future than the empty court is at 1 x 1, and nearer at 8 x 8 "
        "(benchmarks/erasure_or_motion.py), so a coarse block pays for moving rather than erasing; what is finer "
        "than the block is left to the model (its pixels then come from the context frames it carries).",
    )
    warmup: int = Field(
        0,
        ge=0,
        description="Steps over which the frames the loss scores grow, evenly, from the first predicted frame to "
        "the whole clip (a horizon curriculum: a warp learns a motion from the near frames, whose displacements "
        "its gradient can see, before the far ones pull on it); 0 scores the whole clip from the first step.",
    )


class TrainConfig(Options):
    steps: int = Field(1000, gt=0, description="Training steps.")
    batch_size: int = Field(
        16, gt=0, description="Clips per batch, in all: with N processes each takes batch_size / N (a multiple of N)."
    )
    lr: float = Field(
        2e-4, gt=0, description="Adam learning rate of the generator, and of the discriminator unless lr_d is set."
    )
    lr_d: float | None = Field(None, gt=0, description="Adam learning rate of the discriminator; default lr.")
    betas: tuple[float, float] = Field((0.5, 0.999), description="Adam betas, each in [0, 1).")
    schedule: ScheduleConfig = Field(
        default_factory=ScheduleConfig, description="Update schedule; unset keys take the generator's default."
    )
    objective: Literal["bce", "hinge"] = Field(
        "bce",
        description="Adversarial loss: bce (the paper's binary cross-entropy, non-saturating for the generator) "
        "or hinge (SAGAN, BigGAN).",
    )
    r1: float = Field(
        0.0,
        ge=0,
        description="Weight (gamma) of the R1 penalty, gamma / 2 * |d D(x) / d x|^2 on real clips, added to the "
        "discriminator's loss (Mescheder et al. 2018); 0 turns it off.",
    )
    adversarial: float = Field(
        1.0,
        ge=0,
        description="Weight of the generator's adversarial loss; 0 trains on the other objectives alone, "
        "and the discriminator is then neither run nor trained.",
    )
    reconstruction: ReconstructionConfig = Field(
        default_factory=ReconstructionConfig,
        description="Reconstruction loss of conditional generators against the real clip.",
    )
    ema: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="Decay of a moving average of the generator's weights, which samples, evaluation and "
        "load_generator then use (e.g. 0.999); 0 turns it off.",
    )
    device: str = Field("auto", description="auto (CUDA when present, else CPU), cpu, cuda or cuda:N.")
    log_every: int = Field(
        10, gt=0, description="Steps between logged training scalars (and progress lines off a terminal)."
    )
    sample_every: int = Field(200, gt=0, description="Steps between sample grids.")
    checkpoint_every: int = Field(200, gt=0, description="Steps between checkpoints.")
    samples: int = Field(8, gt=0, description="Videos in each sample grid.")
    fps: float = Field(8.0, ge=0.1, le=240, description="Frame rate of written sample videos (0.1 to 240).")
    precision: Literal["fp32", "bf16", "fp16"] = Field(
        "fp32",
        description="fp32, or bf16 / fp16 mixed precision (autocast; fp16 with gradient scaling). "
        "Sampling, prediction and evaluation use it too.",
    )
    channels_last: bool = Field(False, description="Channels-last memory format for the 3-D convolutions.")
    tf32: bool = Field(False, description="TensorFloat-32 matrix products for fp32 on CUDA.")
    compile: bool = Field(False, description="Run the generator and the discriminator through torch.compile.")
    sync_batchnorm: bool = Field(
        False, description="With several processes on CUDA, BatchNorm statistics over the whole batch (SyncBatchNorm)."
    )
    rank_timeout: float = Field(
        1800,
        gt=0,
        description="Seconds a process waits for the others (several processes) before it stops, "
        "saying another one died.",
    )

    @field_validator("device")
    @classmethod
    def _known_device(cls, value: str) -> str:
        return check_device(value)

    @field_validator("betas")
    @classmethod
    def _adam_betas(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not all(0 <= beta < 1 for beta in value):
            raise ValueError(f"each beta must be in [0, 1), got {list(value)}")
        return value


#: Bootstrap resamples behind a confidence interval, unless the run file says otherwise.
RESAMPLES = 1000
#: Predictions per context (K) unless the run file says otherwise: enough for a diversity and a
#: best-of-K that differs from the mean, and a CPU evaluation of the conditional quickstart
#: (64 contexts, SSIM, PSNR, LPIPS and FVD) stays under two minutes (docs/metrics.md).
SAMPLES = 4


class EvaluationConfig(Options):
    every: int = Field(
        1000,
        gt=0,
        description="Steps between evaluations of the run's metrics during training (and after the last step).",
    )
    videos: int = Field(256, gt=0, description="Videos generated, and real clips used, per evaluation.")
    split: Literal["train", "val"] = Field(
        "val", description="Split whose clips are the real set (and the first frames of predictions)."
    )
    best: str | None = Field(None, description="Metric that picks checkpoints/best.pt; default the first of metrics.")
    batch_size: int = Field(16, gt=0, description="Videos generated per batch during evaluation.")
    samples: int = Field(
        SAMPLES,
        ge=1,
        le=1000,
        description="Predictions per context, each from its own seeded noise (conditional models): paired metrics "
        "report best-of-K and mean-of-K, and two samples of each context give the diversity.",
    )
    resamples: int = Field(
        RESAMPLES, ge=2, description="Bootstrap resamples behind each value's 95% confidence interval."
    )


class OutputConfig(Options):
    dir: str | None = Field(None, description="Run directory; default runs/<run file stem>.")
    cache_dir: str | None = Field(
        None, description="Clip stores and downloads; default $VPKIT_CACHE or ~/.cache/vpkit."
    )

    @field_validator("dir", "cache_dir")
    @classmethod
    def _usable_path(cls, value: str | None) -> str | None:
        if value is not None and "\0" in value:
            raise ValueError("a path cannot hold a NUL character")
        return value


class RunConfig(Options):
    seed: int = Field(
        0, ge=0, lt=2**32, description="Seeds the model initialisation, the batch order and the sample latents."
    )
    clip: ClipConfig = Field(
        default_factory=ClipConfig, description="Clip length and size, shared by the source and the models."
    )
    source: ComponentBlock = Field(description="`name:` of a registered source, plus its options.")
    model: ModelConfig = Field(description="The generator and the discriminator.")
    train: TrainConfig = Field(
        default_factory=TrainConfig, description="Optimisation, update schedule, logging and checkpoints."
    )
    metrics: list[ComponentBlock] = Field(default_factory=list, description="Metrics, each a `name:` plus its options.")
    evaluation: EvaluationConfig = Field(
        default_factory=EvaluationConfig, description="When and on what the metrics are evaluated during training."
    )
    output: OutputConfig = Field(
        default_factory=OutputConfig, description="Where the run and the clip stores are written."
    )
    logging: list[ComponentBlock] = Field(
        default_factory=lambda: [ComponentBlock(name="tensorboard"), ComponentBlock(name="jsonl")],
        description="Experiment loggers, each a `name:` plus its options; [] logs nothing but the console.",
    )


def normalise_blocks(data: dict) -> None:
    """A bare string is shorthand for ``{name: ...}``."""
    for block_path in BLOCKS:
        parent = data
        for key in block_path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and isinstance(parent.get(block_path[-1]), str):
            parent[block_path[-1]] = {"name": parent[block_path[-1]]}
    for key in BLOCK_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [{"name": m} if isinstance(m, str) else m for m in data[key]]
