"""Metric evaluation over a run: generate videos, compare them with real clips, and report
every number beside the protocol it was computed under and the baselines scored under it.

The first ``videos`` clips of a split are the real set. A conditional generator predicts
from each clip's first frame; paired metrics then compare the predicted frames 1..T-1 with
the clip's real frames 1..T-1 (frame 0 was given). Distributional metrics see whole clips.
Latents are drawn from a fixed seed, so evaluations at different steps see the same noise.

Beside the model, the same metrics score the baselines of :mod:`vpkit.engine.evaluate.baselines` on
the same clips under the same protocol. Both the real set's statistics and the baselines'
scores are cached under the stats directory, keyed by the clip store, split, count and the
metric's own key (extractor and weights hash), so later evaluations only score the model.
Each value gets a 95% confidence interval from a bootstrap over the videos (see
:mod:`vpkit.engine.evaluate.intervals`), with the number of resamples in the protocol.

With several processes (:mod:`vpkit.engine.distributed`) each takes a contiguous run of the
batches, with the seeds those batches have in one process, and the metrics' accumulated states
(features, per-video scores) are gathered in rank order: the videos, and so the numbers, are
those of one process. Rank 0 computes the values and writes the caches.
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from vpkit import plugins
from vpkit.components import GeneratorTraits, Metric
from vpkit.config.runfile import Run
from vpkit.data.clips import ClipDataset, ClipStore
from vpkit.engine import distributed
from vpkit.engine.evaluate.baselines import (
    BASELINES,
    BY_NAME,
    REFERENCE,
    Baseline,
    BaselineInputs,
    ReferenceClips,
    model_beats,
)
from vpkit.engine.evaluate.intervals import RESAMPLES
from vpkit.engine.evaluate.stats_cache import DAMAGED, StatsCache
from vpkit.engine.generate import generate
from vpkit.engine.precision import Precision
from vpkit.errors import ConfigError, VpkitError
from vpkit.networks import Generator
from vpkit.video.files import clips_to_tensor

PREDICTED = "predicted frames 1..T-1 from frame 0 vs the real frames 1..T-1"
UNCONDITIONAL = "generated from seeded latents, no frame given; compared with the real clips as sets"


@dataclass(frozen=True)
class Protocol:
    """What every number of one evaluation was computed on."""

    split: str
    videos: int
    frames: int
    size: int
    seed: int
    conditional: bool
    resamples: int = RESAMPLES

    def describe(self) -> dict[str, Any]:
        how = {"paired_frames": PREDICTED} if self.conditional else {"generated": UNCONDITIONAL}
        return {
            "split": self.split,
            "videos": self.videos,
            "frames": self.frames,
            "size": self.size,
            "seed": self.seed,
            "resamples": self.resamples,
            **how,
        }


def build_metrics(
    run: Run, names: list[str] | None, generator: type[GeneratorTraits]
) -> tuple[list[Metric], list[str]]:
    """Metrics by name (options from the run file's block when it has one), and notes on skipped ones.

    ``names`` None means the run file's ``metrics:``, or every installed metric if it lists none;
    metrics that cannot serve this run (paired ones for an unconditional generator, clips
    too short or small) are then skipped with a note. Named explicitly, they are an error.
    """
    configured = {m.cls.name: m for m in run.metrics}
    registry = plugins.registry("metric")
    explicit = names is not None
    if names is None:
        names = list(configured) or sorted(registry.classes)
    metrics, notes = [], []
    for name in names:
        resolved = configured.get(name)
        cls = resolved.cls if resolved else registry.get(name)
        config = resolved.config if resolved else cls.Config()
        problem = cls.cannot_score(generator)
        if problem is None:
            try:
                cls.check_clip(config, run.clip)
            except ValueError as exc:
                problem = str(exc)
        if problem and explicit:
            raise ConfigError(f"--metrics {name}: {problem}")
        if problem:
            notes.append(f"skipped {name}: {problem}")
            continue
        metrics.append(plugins.implementation("metric", cls)(config, run.clip))
    if not metrics:
        raise ConfigError("; ".join(["no metric to compute", *notes]))
    return metrics, notes


class Evaluator:
    """Scores a generator against the first ``count`` clips of a split; reusable across training steps.

    ``notes`` says what the evaluation could not include (baselines without enough reference clips).
    """

    def __init__(
        self,
        metrics: list[Metric],
        store: ClipStore,
        split: str,
        count: int,
        stats_dir: Path,
        batch_size: int = 16,
        seed: int = 0,
        resamples: int = RESAMPLES,
        precision: Precision | None = None,
    ):
        self.metrics, self.count, self.split, self.resamples = metrics, count, split, resamples
        self.precision, self.ranks = precision, distributed.current()
        if self.ranks.distributed:
            for metric in metrics:
                if type(metric).merge_shards is Metric.merge_shards:
                    raise ConfigError(
                        f"metric {metric.name} cannot be evaluated by several processes (it does not "
                        "implement shard_state and merge_shards); evaluate it with one process"
                    )
        self.dataset: ClipDataset = store.split(split)
        if count > len(self.dataset):
            raise ConfigError(
                f"the {split} split of {store.root} has {len(self.dataset)} clips, fewer than the {count} videos "
                f"asked for; lower -n or evaluation.videos to at most {len(self.dataset)}"
            )
        self.clip = store.clip
        self.clips_key = {
            "store": store.manifest["fingerprint"],
            "frames": store.clip.frames,
            "size": store.clip.size,
            "split": split,
            "count": count,
        }
        self.cache, self.batch_size, self.seed = StatsCache(stats_dir), batch_size, seed
        reference = ReferenceClips.pick(store, split, count)
        self.reference = reference if isinstance(reference, ReferenceClips) else None
        distributional = any(not metric.paired for metric in metrics)
        self.notes = [reference] if self.reference is None and distributional else []
        self._baselines: dict[bool, dict[str, dict[str, float]]] = {}  # by conditional: computed once
        # A missing weights file fails here, not after training or generating; rank 0 fetches them into the cache.
        distributed.main_first(lambda: [metric.prepare() for metric in metrics])

    def __call__(self, generator: Generator) -> dict[str, dict[str, Any]]:
        device = next(generator.parameters()).device
        protocol = Protocol(
            self.split, self.count, self.clip.frames, self.clip.size, self.seed, generator.conditional, self.resamples
        )
        real_states = {}
        for metric in self.metrics:
            metric.to(device).reset()
            real_states[metric.name] = self._load_real_state(metric)
        was_training = generator.training
        generator.eval()
        try:
            with self._bar("evaluate") as bar:
                for index, start, stop, real in self._real_batches(device):
                    condition = real[:, :, 0] if generator.conditional else None
                    with self.precision.autocast() if self.precision else contextlib.nullcontext():
                        video = generate(generator, stop - start, condition, seed=self.seed + index).video.float()
                    for metric in self.metrics:
                        _feed(metric, real, video, real_states[metric.name] is not None)
                    bar.update(stop - start)
        finally:
            generator.train(was_training)
        self._gather(self.metrics)
        results = distributed.on_main(
            lambda: {
                m.name: {**compute_with_interval(m, self.resamples), "protocol": protocol.describe()}
                for m in self.metrics
            }
        )
        for metric in self.metrics:
            if real_states[metric.name] is None:
                real_states[metric.name] = self._save_real_state(metric)
        baselines = self._baseline_scores(generator.conditional, device, real_states)
        for metric in self.metrics:
            model = results[metric.name][metric.name]
            results[metric.name]["baselines"] = {
                name: {
                    metric.name: value,
                    "model_beats": model_beats(metric, model, value),
                    "video": BY_NAME[name].describe(self.count, self.split, self.clip.frames),
                }
                for name, value in baselines[metric.name].items()
            }
        return results

    def _bar(self, desc: str) -> tqdm:
        # On a terminal only (rank 0's), and gone when done: elsewhere a bar is a line of carriage returns.
        return tqdm(
            total=self.count,
            desc=desc,
            unit="video",
            file=sys.stderr,
            dynamic_ncols=True,
            disable=None if self.ranks.main else True,
            leave=False,
        )

    def _real_batches(self, device: torch.device):
        """(index, start, stop, real clips) of this rank's batches of the evaluation set, ``batch_size`` at a time."""
        batches = -(-self.count // self.batch_size)
        for index in self.ranks.blocks(batches):
            start = index * self.batch_size
            stop = min(start + self.batch_size, self.count)
            yield index, start, stop, clips_to_tensor(self.dataset.gather(range(start, stop)), device)

    def _gather(self, metrics: list[Metric]) -> None:
        """Give every rank's metrics what all ranks fed them (nothing to do for one process)."""
        if self.ranks.distributed:
            shards = distributed.gather({metric.name: metric.shard_state() for metric in metrics})
            for metric in metrics:
                metric.merge_shards([shard[metric.name] for shard in shards])

    # --- real-set statistics: cached per metric key, so later evaluations score only the model
    def _stats_path(self, metric: Metric) -> Path | None:
        key = metric.real_key()
        if key is None:
            return None
        return self.cache.path(metric.name, {"clips": self.clips_key, "metric": metric.name, "key": key}, ".npz")

    def _load_real_state(self, metric: Metric) -> dict[str, np.ndarray] | None:
        """The cached real statistics, loaded into ``metric``; None when there are none (or they are damaged)."""
        path = self._stats_path(metric)
        state = self.cache.read_arrays(path) if path else None
        if state is None:
            return None
        try:
            metric.load_real_state(state)
        except DAMAGED as exc:
            metric.reset()
            return self.cache.damaged(path, exc)
        return state

    def _save_real_state(self, metric: Metric) -> dict[str, np.ndarray] | None:
        path = self._stats_path(metric)
        if path is None:
            return None
        state = metric.real_state()
        if self.ranks.main:
            self.cache.write_arrays(path, state)
        return state

    # --- baselines: scored once per store, split, count, protocol and metric key, then cached
    def _baseline_scores(
        self, conditional: bool, device: torch.device, real_states: dict[str, dict | None]
    ) -> dict[str, dict[str, float]]:
        """Each metric's score for each baseline that applies to it, from the cache or scored now."""
        if conditional in self._baselines:
            return self._baselines[conditional]
        wanted = {
            m.name: [b for b in BASELINES if b.applies(m, conditional, self.reference is not None)]
            for m in self.metrics
        }
        stored = {m.name: self._load_baselines(m) for m in self.metrics}
        missing = {m.name: [b for b in wanted[m.name] if b.name not in stored[m.name]] for m in self.metrics}
        if any(missing.values()):
            scored = self._score_baselines(missing, device, real_states)
            for metric in self.metrics:
                if missing[metric.name]:
                    stored[metric.name].update(scored[metric.name])
                    if self.ranks.main:
                        self.cache.write_json(
                            self._baselines_path(metric),
                            {"key": self._baselines_key(metric), "values": stored[metric.name]},
                        )
        scores = {m.name: {b.name: stored[m.name][b.name] for b in wanted[m.name]} for m in self.metrics}
        self._baselines[conditional] = scores
        return scores

    def _baselines_key(self, metric: Metric) -> dict[str, Any]:
        """Everything a baseline's score depends on: the clips, the metric and its key,
        and the baselines' definitions."""
        return {
            "clips": self.clips_key,
            "metric": metric.name,
            "options": metric.config.model_dump(mode="json"),
            "key": metric.real_key(),
            "paired_frames": PREDICTED,
            "reference": REFERENCE,
            "baselines": {b.name: b.what for b in BASELINES},
        }

    def _baselines_path(self, metric: Metric) -> Path:
        return self.cache.path(f"baselines-{metric.name}", self._baselines_key(metric), ".json")

    def _load_baselines(self, metric: Metric) -> dict[str, float]:
        path = self._baselines_path(metric)
        document = self.cache.read_json(path)
        if document is None:
            return {}
        key = json.loads(json.dumps(self._baselines_key(metric)))
        values = document.get("values") if isinstance(document, dict) and document.get("key") == key else None
        if not isinstance(values, dict) or not all(_is_number(v) for v in values.values()):
            self.cache.damaged(path)
            return {}
        return {name: float(value) for name, value in values.items()}

    def _score_baselines(
        self, missing: dict[str, list[Baseline]], device: torch.device, real_states: dict[str, dict | None]
    ) -> dict[str, dict[str, float]]:
        """Score each missing baseline with the metrics that lack it, one baseline at a time."""
        scored: dict[str, dict[str, float]] = {name: {} for name in missing}
        mean_frame = None
        if any(b.name == "mean_frame" for needed in missing.values() for b in needed):
            mean_frame = self.reference.mean_frame(device, self.batch_size)
        for baseline in BASELINES:
            metrics = [m for m in self.metrics if baseline in missing[m.name]]
            if not metrics:
                continue
            for metric in metrics:
                metric.reset()
                if real_states[metric.name] is not None:
                    metric.load_real_state(real_states[metric.name])
            with self._bar(f"baseline {baseline.name}") as bar:
                for _, start, stop, real in self._real_batches(device):
                    reference = self.reference.batch(start, stop, device) if baseline.uses_reference else None
                    video = baseline.make(BaselineInputs(real, reference, mean_frame))
                    for metric in metrics:
                        _feed(metric, real, video, real_states[metric.name] is not None)
                    bar.update(stop - start)
            self._gather(metrics)
            for metric in metrics:
                scored[metric.name][baseline.name] = float(_compute(metric)[metric.name])
        return scored


def _feed(metric: Metric, real: torch.Tensor, video: torch.Tensor, real_cached: bool) -> None:
    """The protocol, for the model and the baselines alike: paired metrics see frames 1..T-1."""
    try:
        if metric.paired:
            metric.update(real[:, :, 1:], video[:, :, 1:])
        else:
            metric.update(None if real_cached else real, video)
    except ValueError as exc:
        raise VpkitError(f"metric {metric.name}: {exc}") from None


def _compute(metric: Metric) -> dict[str, Any]:
    try:
        return metric.compute()
    except ValueError as exc:
        raise VpkitError(f"metric {metric.name}: {exc}") from None


def compute_with_interval(metric: Metric, resamples: int) -> dict[str, Any]:
    """The metric's result with its confidence interval (``ci95``, ``se``) when it gives one."""
    try:
        return {**metric.compute(), **(metric.interval(resamples) or {})}
    except ValueError as exc:
        raise VpkitError(f"metric {metric.name}: {exc}") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
