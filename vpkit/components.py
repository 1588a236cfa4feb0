"""The interfaces a plugin implements: sources, generators, discriminators and metrics.

Every component class has a ``name`` (how a run file refers to it) and a pydantic
``Config`` (the options its run-file block may hold; unknown keys are rejected).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict
from torch import nn

from vpkit import hookspecs
from vpkit.clip_spec import ClipSpec

if TYPE_CHECKING:  # pragma: no cover
    from vpkit.data.clips import ClipWriter
    from vpkit.data.weights import Weights


class Options(BaseModel):
    """Base class for component ``Config`` models: unknown keys are an error, and so are
    infinite or NaN numbers (no option means anything by them; a width of ``.inf`` only
    fails later, when the network is built)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Component:
    name: ClassVar[str]
    Config: ClassVar[type[BaseModel]] = Options

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

    def prepare(self, writer: ClipWriter) -> None:
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


class Generator(Component, nn.Module):
    """Maps a latent (and, if ``conditional``, a first frame) to a video."""

    conditional: ClassVar[bool] = False
    #: Update schedule this model was designed for; a run file's ``train.schedule`` overrides it.
    default_schedule: ClassVar[dict[str, int]] = {}

    def __init__(self, config: BaseModel, clip: ClipSpec):
        nn.Module.__init__(self)
        self.config = config
        self.clip = clip

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """``batch_size`` latents, drawn from ``generator`` when given (it may live on the CPU).

        The latents must be on the model's device (that of its parameters): the trainer and
        ``vpkit.generate`` pass them straight to ``forward``.
        """
        raise NotImplementedError

    def forward(self, z: torch.Tensor, condition: torch.Tensor | None = None) -> GeneratorOutput:
        """``condition`` is the first frame (B, 3, H, W) in [-1, 1] for conditional models."""
        raise NotImplementedError


class Discriminator(Component, nn.Module):
    """Maps a video (B, 3, T, H, W) in [-1, 1] to one real/fake logit per video, shape (B,)."""

    def __init__(self, config: BaseModel, clip: ClipSpec):
        nn.Module.__init__(self)
        self.config = config
        self.clip = clip


class Metric(Component):
    """Accumulates over (real, generated) batches and computes at the end.

    ``paired`` metrics compare each prediction with its own ground truth; distributional
    ones compare two sets. Batches are float in [-1, 1], shape (B, 3, T, H, W). A
    distributional metric also accepts ``None`` for either side of ``update``, so the two
    sets may differ in size and a real set whose statistics were loaded from the cache
    (see :meth:`real_key`) is not fed again.
    """

    paired: ClassVar[bool] = False
    #: True when a smaller value is better (FVD, LPIPS); used to keep the best checkpoint.
    lower_is_better: ClassVar[bool] = True
    #: The pretrained weights its networks need, fetched on first use; ``vpkit weights``
    #: fetches them ahead of time and lists what is cached.
    weights: ClassVar[tuple[Weights, ...]] = ()

    def __init__(self, config: BaseModel, clip: ClipSpec):
        self.config = config
        self.clip = clip
        self.device = torch.device("cpu")

    @classmethod
    def cannot_score(cls, generator: type[Generator]) -> str | None:
        """Why this metric cannot score ``generator``'s videos, or None when it can."""
        if cls.paired and not generator.conditional:
            return (f"{cls.name} is a paired metric: it needs a conditional generator (one that predicts from a "
                    f"first frame), and {generator.name!r} is unconditional")
        return None

    def to(self, device: torch.device | str) -> Metric:
        """Run whatever network the metric uses on ``device`` (the engine passes the generator's)."""
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


@dataclass(frozen=True)
class Kind:
    """A component kind, declared once: its base class, the hook that registers it, and where a
    run file names it (``many``: a list of blocks, as ``metrics:`` is, rather than one)."""

    name: str
    base: type[Component]
    hook: Callable[..., None]
    run_file: tuple[str, ...]
    many: bool = False


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("source", Source, hookspecs.register_sources, ("source",)),
        Kind("generator", Generator, hookspecs.register_generators, ("model", "generator")),
        Kind("discriminator", Discriminator, hookspecs.register_discriminators, ("model", "discriminator")),
        Kind("metric", Metric, hookspecs.register_metrics, ("metrics",), many=True),
    )
}
