"""Baselines: what doing nothing, or showing real clips, scores under the model's protocol.

A metric's value means little alone: an SSIM of 0.76 is good or bad depending on what copying
the input frame scores on the same clips. So every evaluation also scores videos that need no
model, on the same clips, through the same metric objects and the same protocol as the
model's videos (paired metrics compare the predicted frames k..T-1; distributional ones see
whole clips). They are defined here once, for every metric, bundled or third-party:

- ``copy_last`` (conditional models, every metric): each evaluation clip's k context frames,
  then the last of them held over the rest of the clip, the standard baseline of video
  prediction (Mathieu et al. 2016); for k = 1 it is "copy the first frame".
- ``static`` (distributional metrics): frame 0 of N real clips of the other split, held
  still: real appearance, no motion.
- ``mean_frame`` (distributional metrics): the mean frame of those N clips, one still video
  repeated N times: neither appearance nor motion.
- ``floor`` (distributional metrics): those N real clips themselves. Real videos against the
  evaluation clips at the same N: the best a model can expect, above zero because a
  distributional metric from N samples is biased.

The reference clips come from the *other* split (train when evaluating on val), so that they
are real clips the evaluation set does not contain; they are spread evenly over the split,
so that no single source video fills the set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

import numpy as np
import torch

from vpkit.components import Metric
from vpkit.data.clips import ClipDataset, ClipStore
from vpkit.video.files import clips_to_tensor

#: The split the reference clips come from, by the split being evaluated.
OTHER_SPLIT = {"val": "train", "train": "val"}
#: How the reference clips are chosen (part of the baselines' cache key).
REFERENCE = "N clips of the other split, evenly spaced over it"


@dataclass(frozen=True)
class BaselineInputs:
    """One batch of what baseline videos are made from, each (B, 3, T, H, W) in [-1, 1]."""

    real: torch.Tensor
    reference: torch.Tensor | None
    mean_frame: torch.Tensor | None  # (3, H, W)
    context: int = 1


def held(frames: torch.Tensor, length: int) -> torch.Tensor:
    """(B, 3, H, W) -> (B, 3, T, H, W): each frame repeated ``length`` times (a copy, not a view,
    so a metric may change its input in place)."""
    return frames.unsqueeze(2).repeat(1, 1, length, 1, 1)


def copy_last(real: torch.Tensor, context: int) -> torch.Tensor:
    """The clips' ``context`` first frames, then the last of them held to the clips' length."""
    return torch.cat([real[:, :, :context], held(real[:, :, context - 1], real.shape[2] - context)], dim=2)


@dataclass(frozen=True)
class Baseline:
    name: str
    #: What its videos are; ``{n}``, ``{other}``, ``{frames}`` and ``{context}`` are filled in.
    what: str
    every_metric: bool  # False: distributional metrics only
    conditional_only: bool
    uses_reference: bool
    make: Callable[[BaselineInputs], torch.Tensor]

    def applies(self, metric: Metric, conditional: bool, have_reference: bool) -> bool:
        return (
            (self.every_metric or not metric.paired)
            and (conditional or not self.conditional_only)
            and (have_reference or not self.uses_reference)
        )

    def describe(self, count: int, split: str, frames: int, context: int = 1) -> str:
        return self.what.format(n=count, other=OTHER_SPLIT[split], frames=frames, context=context)


BASELINES = (
    Baseline(
        "copy_last",
        "each evaluation clip's {context} context frame(s), the last one held to its {frames} frames",
        every_metric=True,
        conditional_only=True,
        uses_reference=False,
        make=lambda b: copy_last(b.real, b.context),
    ),
    Baseline(
        "static",
        "frame 0 of {n} real clips of the {other} split, held still",
        every_metric=False,
        conditional_only=False,
        uses_reference=True,
        make=lambda b: held(b.reference[:, :, 0], b.reference.shape[2]),
    ),
    Baseline(
        "mean_frame",
        "the mean frame of {n} real clips of the {other} split, one still video {n} times",
        every_metric=False,
        conditional_only=False,
        uses_reference=True,
        make=lambda b: held(b.mean_frame.expand(len(b.reference), -1, -1, -1), b.reference.shape[2]),
    ),
    Baseline(
        "floor",
        "{n} real clips of the {other} split (not generated: the best to expect at this N)",
        every_metric=False,
        conditional_only=False,
        uses_reference=True,
        make=lambda b: b.reference,
    ),
)
BY_NAME = {baseline.name: baseline for baseline in BASELINES}


@dataclass(frozen=True)
class ReferenceClips:
    """``count`` clips of the other split, spread evenly over it, in a fixed order."""

    split: str
    dataset: ClipDataset
    indices: np.ndarray

    @classmethod
    def pick(cls, store: ClipStore, split: str, count: int) -> ReferenceClips | str:
        """The reference clips, or why there are none (too few clips in the other split)."""
        other = OTHER_SPLIT[split]
        dataset = store.split(other)
        if len(dataset) < count:
            names = ", ".join(b.name for b in BASELINES if b.uses_reference)
            return (
                f"baselines {names} left out: they need {count} clips of the {other} split "
                f"(as many as are evaluated), and it holds {len(dataset)}"
            )
        # spacing >= 1 when len(dataset) >= count, so the rounded indices are distinct
        return cls(other, dataset, np.linspace(0, len(dataset) - 1, count).round().astype(int))

    def batch(self, start: int, stop: int, device: torch.device) -> torch.Tensor:
        return clips_to_tensor(self.dataset.gather(self.indices[start:stop]), device)

    def mean_frame(self, device: torch.device, batch_size: int) -> torch.Tensor:
        """The mean over every frame of every reference clip, (3, H, W) in [-1, 1]."""
        total = None
        for start in range(0, len(self.indices), batch_size):
            clips = self.batch(start, start + batch_size, device).double()
            frames = clips.sum(dim=(0, 2))
            total = frames if total is None else total + frames
        frames_seen = len(self.indices) * self.dataset.clip.frames
        return (total / frames_seen).float()


def model_beats(metric: Metric, model: float, baseline: float) -> bool:
    """Strictly better: a model that only ties a baseline has not beaten it. With a ``target`` (a
    motion ratio's 1), better is nearer to it."""
    if metric.target is not None:
        return abs(model - metric.target) < abs(baseline - metric.target)
    return model < baseline if metric.lower_is_better else model > baseline


def outside_interval(ci95: list[float] | None, baseline: float) -> bool | None:
    """Whether a baseline's score lies outside the model's 95% interval (a difference the noise of
    this N does not explain); None without an interval."""
    if ci95 is None:
        return None
    low, high = ci95
    return not low <= baseline <= high


def verdict(baselines: dict[str, dict]) -> str:
    """Which baselines the model beats and which it does not, from a metric's ``baselines`` entries,
    each said with whether its score is inside the model's 95% interval where the entry knows."""
    beaten = [b for b, entry in baselines.items() if entry["model_beats"]]
    not_beaten = [b for b, entry in baselines.items() if not entry["model_beats"]]
    if not not_beaten:
        return f"the model beats {_with_interval(beaten, baselines)}"
    if not beaten:
        return f"the model beats none of {_with_interval(not_beaten, baselines)}"
    return f"the model beats {_with_interval(beaten, baselines)}; not {_with_interval(not_beaten, baselines)}"


def _with_interval(names: list[str], baselines: dict[str, dict]) -> str:
    """``names`` joined, each run of neighbours whose scores lie on the same side of the model's
    95% interval followed once by which side that is."""
    where = [(name, _where(baselines[name].get("outside_interval"))) for name in names]
    runs = groupby(where, key=lambda pair: pair[1])
    return ", ".join(", ".join(name for name, _ in run) + side for side, run in runs)


def _where(outside: bool | None) -> str:
    if outside is None:
        return ""
    return " (outside the 95% interval)" if outside else " (inside the 95% interval)"
