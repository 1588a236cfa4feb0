"""The interfaces a plugin implements: sources, generators, discriminators, metrics and loggers.

Every component class has a ``name`` (how a run file refers to it) and a pydantic
``Config`` (the options its run-file block may hold; unknown keys are rejected).

This module imports no torch, so that listing, validating and completing run files stays
fast: the interfaces that are torch modules (``Generator``, ``Discriminator``) live in
:mod:`vpkit.networks`. A plugin may register a torch-free *declaration* of a component (its
name, ``Config``, class-level facts and ``check_clip``) that names the class doing the work
in ``implementation``; that class subclasses the declaration and is imported only when a
run builds it (see :func:`vpkit.plugins.implementation`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from vpkit import hookspecs
from vpkit.clip_spec import ClipSpec

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import torch


class ClipSink(Protocol):
    """Where a source puts its clips: the core hands :class:`vpkit.ClipWriter` to ``prepare``.

    A protocol here, so that the foundation names what a source may call without importing
    the clip store (``vpkit.data``) that implements it.
    """

    @property
    def done_keys(self) -> set[str]: ...

    def add(self, key: str, clips: np.ndarray, split: str, provenance: Any = ()) -> None: ...

    def skip(self, key: str, reason: str, **details: Any) -> None: ...


class PretrainedWeights(Protocol):
    """A metric's pretrained weights as the core sees them (:class:`vpkit.Weights` is one)."""

    name: str
    what: str

    def cached(self) -> Path | None: ...

    def fetch(self) -> Path: ...


class Options(BaseModel):
    """Base class for component ``Config`` models: unknown keys are an error, and so are
    infinite or NaN numbers (no option means anything by them; a width of ``.inf`` only
    fails later, when the network is built)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Component:
    name: ClassVar[str]
    Config: ClassVar[type[BaseModel]] = Options
    #: ``"module:Class"`` of the class that does the work, when this class only declares the
    #: component; that class subclasses this one. Empty: this class is the implementation.
    implementation: ClassVar[str] = ""

    @classmethod
    def check_clip(cls, config: BaseModel, clip: ClipSpec) -> None:
        """Raise ``ValueError`` with a short reason if this component cannot handle ``clip``."""


class Source(Component):
    """Where clips come from. ``prepare`` fills a clip store; training never decodes video."""

    #: Options that change how inputs are fetched, not which clips result (left out of the
    #: store's fingerprint, so changing them reuses the store).
    fetch_options: ClassVar[frozenset[str]] = frozenset()
    #: True for a source whose inputs can grow after its store is finished (a folder of files):
    #: ``prepare`` then runs on every use of the finished store, and adds what is new.
    rescan: ClassVar[bool] = False

    def __init__(self, config: BaseModel, clip: ClipSpec):
        self.config = config
        self.clip = clip

    def prepare(self, writer: ClipSink) -> None:
        """Add shards to ``writer``; skip keys in ``writer.done_keys`` to resume (or to rescan)."""
        raise NotImplementedError


@dataclass
class GeneratorOutput:
    """What a generator returns.

    ``video`` is float in [-1, 1], shape (B, 3, T, H, W). ``parts`` holds named
    intermediate results worth showing beside it (shape (B, C, T, H, W) or (B, C, H, W);
    C == 3 means values in [-1, 1], C == 1 means values in [0, 1]). ``losses`` are the
    generator's own regularisation terms, already weighted; the trainer adds them to the
    generator objective.
    """

    video: torch.Tensor
    parts: dict[str, torch.Tensor] = field(default_factory=dict)
    losses: dict[str, torch.Tensor] = field(default_factory=dict)


class GeneratorTraits(Component):
    """What a run file and the trainer know about a generator before building it (torch-free).

    :class:`vpkit.Generator` inherits these; a generator's declaration subclasses this class.
    """

    #: True: ``forward`` is given the ``clip.context`` real frames before the clip, (B, 3, k, H, W),
    #: and predicts the rest (the contract is in :class:`vpkit.Generator`'s docstring).
    conditional: ClassVar[bool] = False
    #: Update schedule this model was designed for; a run file's ``train.schedule`` overrides it.
    default_schedule: ClassVar[dict[str, int]] = {}


class Metric(Component):
    """Accumulates over (real, generated) batches and computes at the end.

    ``paired`` metrics compare each prediction with its own ground truth; distributional
    ones compare two sets. Batches are float in [-1, 1], shape (B, 3, T, H, W). A paired
    metric is fed the predicted frames only (frames ``clip.context .. T-1``, so T there is
    ``clip.predicted``); a distributional one whole clips, the real context frames in front of
    generated and real clips alike. A
    distributional metric also accepts ``None`` for either side of ``update``, so the two
    sets may differ in size and a real set whose statistics were loaded from the cache
    (see :meth:`real_key`) is not fed again.
    """

    paired: ClassVar[bool] = False
    #: True when a smaller value is better (FVD, LPIPS); used to keep the best checkpoint.
    lower_is_better: ClassVar[bool] = True
    #: The value a perfect model scores when neither a lower nor a higher one is better (a motion
    #: ratio's 1.0): the model then beats a baseline by being nearer to it. None: ``lower_is_better`` decides.
    target: ClassVar[float | None] = None
    #: True: computed in every evaluation, listed or not (the motion statistics beside every number).
    in_every_evaluation: ClassVar[bool] = False
    #: True: a distributional metric that should see the order of frames (FVD); each evaluation also
    #: scores the model's videos shuffled in time, to show whether it does here.
    order_check: ClassVar[bool] = False
    #: The pretrained weights its networks need, fetched on first use; ``vpkit weights``
    #: fetches them ahead of time and lists what is cached.
    weights: ClassVar[tuple[PretrainedWeights, ...]] = ()

    def __init__(self, config: BaseModel, clip: ClipSpec):
        import torch

        self.config = config
        self.clip = clip
        self.device = torch.device("cpu")

    @classmethod
    def cannot_score(cls, generator: type[GeneratorTraits]) -> str | None:
        """Why this metric cannot score ``generator``'s videos, or None when it can."""
        if cls.paired and not generator.conditional:
            return (
                f"{cls.name} is a paired metric: it needs a conditional generator (one that predicts from "
                f"context frames), and {generator.name!r} is unconditional"
            )
        return None

    def to(self, device: torch.device | str) -> Metric:
        """Run whatever network the metric uses on ``device`` (the engine passes the generator's)."""
        import torch

        self.device = torch.device(device)
        return self

    def prepare(self) -> None:
        """Load networks and weights (downloading them if needed) before any work starts."""

    def reset(self) -> None:
        raise NotImplementedError

    def update(self, real: torch.Tensor | None, generated: torch.Tensor | None) -> None:
        raise NotImplementedError

    def compute(self) -> dict[str, Any]:
        """The result: at least ``{self.name: value}``, plus what it was computed on."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """What a value depends on besides the videos (network, weights hash, convention), reported
        beside it; for paired metrics the evaluation builds the rest of the result itself."""
        return {}

    # For paired metrics: the evaluation scores K samples per context, so it needs each video's
    # (and, for curves over time, each frame's) score rather than an accumulated mean.
    def frame_scores(self, real: torch.Tensor, generated: torch.Tensor) -> np.ndarray:
        """Scores of each (real, generated) pair, float64 (B, T) per frame, or (B, 1) when the metric
        scores whole videos; a video's score is the mean over its frames. Accumulates nothing.

        This default scores each video alone through ``reset``, ``update`` and ``compute`` (so any
        paired metric works, without a curve over time); a metric that can score frames overrides it.
        """
        import numpy as np

        scores = []
        for i in range(len(real)):
            self.reset()
            self.update(real[i : i + 1], generated[i : i + 1])
            scores.append([float(self.compute()[self.name])])
        self.reset()
        return np.asarray(scores, dtype=np.float64)

    def interval(self, resamples: int) -> dict[str, Any] | None:
        """A 95% confidence interval for the value of :meth:`compute`, from a bootstrap over
        videos with ``resamples`` resamples (see :func:`vpkit.bootstrap_interval`):
        ``{"ci95": [low, high], "se": standard error}``; None when the metric has none."""
        return None

    # Optional, for distributional metrics: the engine caches the real set's statistics on
    # disk, keyed by the clips (store, split, count) and by what this method returns.
    def real_key(self) -> dict[str, Any] | None:
        """What besides the real clips determines :meth:`real_state` (extractor, weights hash); None: no cache."""
        return None

    def real_state(self) -> dict[str, np.ndarray]:
        """Statistics of the real videos fed so far, as arrays."""
        raise NotImplementedError

    def load_real_state(self, state: dict[str, np.ndarray]) -> None:
        """Take the real set's statistics from the cache instead of from ``update``."""
        raise NotImplementedError

    # For evaluation by several processes: each feeds its share of the batches, then the engine
    # gathers what each accumulated and hands all of it to every process, in rank order.
    def shard_state(self) -> dict[str, np.ndarray]:
        """What ``update`` accumulated since ``reset`` (not a real set from :meth:`load_real_state`),
        as arrays whose first axis is the videos, in the order they were fed."""
        raise NotImplementedError

    def merge_shards(self, shards: list[dict[str, np.ndarray]]) -> None:
        """Replace what ``update`` accumulated with ``shards`` (every process's :meth:`shard_state`,
        in rank order), as if one process had fed every batch."""
        raise NotImplementedError


class Logger(Component):
    """An experiment logger: told the run's configuration once, then its scalars and sample
    videos as training goes. A run file lists loggers under ``logging:``.

    Built like every component, with its options and the run's clip; every method but
    ``start`` may be left as it is when the logger has no use for what it receives.
    """

    def __init__(self, config: BaseModel, clip: ClipSpec):
        self.config = config
        self.clip = clip

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        """Before the first step. ``hyperparameters`` is the resolved run configuration (nested;
        :func:`vpkit.flatten` makes it ``a.b.c`` keys). ``step`` is 0 for a new run and the
        checkpoint's step for a resumed one: drop what was logged past it, where you can."""
        raise NotImplementedError

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        """``section`` ``train``: losses, D(x), D(G(z)), learning rate, clips/s, every
        ``train.log_every`` steps. ``metrics``: the run's metrics, when evaluated during training."""

    def log_video(self, name: str, frames: np.ndarray, fps: float, files: list[Path], step: int) -> None:
        """A sample grid, uint8 ``(T, H, W, 3)``, and the files the run wrote it to (a GIF and an MP4)."""

    def flush(self) -> None:
        """At every checkpoint: what was logged so far reaches its files."""

    def close(self, status: str) -> None:
        """When training stops: ``status`` is ``finished``, ``interrupted`` or ``failed``."""


@dataclass(frozen=True)
class ShippedModel:
    """A trained model that a plugin ships, so that ``vpkit predict --model NAME`` works without training.

    ``run_dir`` is a run directory inside the plugin's package: its ``config.yaml`` and
    ``checkpoints/last.pt`` (``vpkit export`` writes both from a run). ``sha256`` pins the
    checkpoint: a damaged or swapped file is refused before it is read.
    """

    name: str
    run_dir: Path
    sha256: str
    #: One sentence for ``vpkit models``: what it predicts and how it was trained.
    summary: str = ""


@dataclass(frozen=True)
class Kind:
    """A component kind, declared once: its interface, the hook that registers it, and where a
    run file names it (``many``: a list of blocks, as ``metrics:`` is, rather than one).

    ``interface`` is the import path of the base class an implementation subclasses (imported
    only when one is checked, since two of them are torch modules); ``declared`` is the
    torch-free base class a declaration subclasses.
    """

    name: str
    interface: str
    declared: type[Component]
    hook: Callable[..., None]
    run_file: tuple[str, ...]
    many: bool = False

    @property
    def base(self) -> type[Component]:
        module, _, name = self.interface.partition(":")
        return getattr(importlib.import_module(module), name)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("source", "vpkit.components:Source", Source, hookspecs.register_sources, ("source",)),
        Kind(
            "generator",
            "vpkit.networks:Generator",
            GeneratorTraits,
            hookspecs.register_generators,
            ("model", "generator"),
        ),
        Kind(
            "discriminator",
            "vpkit.networks:Discriminator",
            Component,
            hookspecs.register_discriminators,
            ("model", "discriminator"),
        ),
        Kind("metric", "vpkit.components:Metric", Metric, hookspecs.register_metrics, ("metrics",), many=True),
        Kind("logger", "vpkit.components:Logger", Logger, hookspecs.register_loggers, ("logging",), many=True),
    )
}
