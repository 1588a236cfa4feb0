"""Metric evaluation over a run: generate videos, compare them with real clips, and report
every number beside the protocol it was computed under, the baselines scored under it and the
motion statistics of the model's videos.

The first ``videos`` clips of a split are the real set. The protocol (:mod:`.protocol`): a
conditional generator is given each clip's k context frames and makes K samples of the rest;
paired metrics score each sample's predicted frames k..T-1 (best-of-K and mean-of-K, per frame
too: :mod:`.samples`) and two samples of each context give the diversity; distributional
metrics see sample 0 of each context as whole clips, context in front. Latents are drawn from
fixed seeds, so evaluations at different steps see the same noise. Metrics that declare
``in_every_evaluation`` (the motion statistics) join every evaluation; those that declare
``order_check`` (FVD) are computed once more on the model's videos shuffled in time: if that
changes nothing, the metric sees no motion here.

Beside the model, the same metrics score the baselines of :mod:`.baselines` on the same clips
under the same protocol. Both the real set's statistics and the baselines' scores are cached
under the stats directory, keyed by the clip store, split, count and the metric's own key
(extractor and weights hash), so later evaluations only score the model. Each value gets a 95%
confidence interval from a bootstrap over the videos (see :mod:`.intervals`).

With several processes (:mod:`vpkit.engine.distributed`) each takes a contiguous run of the
batches, with the seeds those batches have in one process, and the metrics' accumulated states
(features, per-video scores) are gathered in rank order: the videos, and so the numbers, are
those of one process. Rank 0 computes the values and writes the caches.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from vpkit import plugins
from vpkit.components import GeneratorTraits, Metric
from vpkit.config.runfile import Run
from vpkit.data.clips import ClipDataset, ClipStore
from vpkit.data.prepare import cache_dir
from vpkit.engine import distributed
from vpkit.engine.evaluate import samples as k_samples
from vpkit.engine.evaluate.baseline_cache import BaselineCache
from vpkit.engine.evaluate.baselines import (
    BASELINES,
    BY_NAME,
    Baseline,
    BaselineInputs,
    ReferenceClips,
    model_beats,
    outside_interval,
)
from vpkit.engine.evaluate.intervals import RESAMPLES
from vpkit.engine.evaluate.protocol import Protocol
from vpkit.engine.evaluate.real_stats_cache import RealStatsCache
from vpkit.engine.evaluate.stats_cache import StatsCache
from vpkit.engine.generate import generate, generate_samples
from vpkit.engine.precision import Precision
from vpkit.errors import ConfigError, VpkitError
from vpkit.networks import Generator
from vpkit.video.files import clips_to_tensor

#: The entry beside the metrics that holds the diversity of K samples (conditional models, K >= 2).
DIVERSITY = "diversity"
#: The metric whose distances between two samples of a context are the diversity, when it is evaluated.
DIVERSITY_METRIC = "lpips"


def build_metrics(
    run: Run, names: list[str] | None, generator: type[GeneratorTraits]
) -> tuple[list[Metric], list[str]]:
    """Metrics by name (options from the run file's block when it has one), and notes on skipped ones.

    ``names`` None means the run file's ``metrics:``, or every installed metric if it lists none;
    metrics that cannot serve this run (paired ones for an unconditional generator, clips
    too short or small) are then skipped with a note. Named explicitly, they are an error.
    Metrics that declare ``in_every_evaluation`` join in either case, when they fit the run.
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
        problem = _problem(cls, config, run, generator)
        if problem and explicit:
            raise ConfigError(f"--metrics {name}: {problem}")
        if problem:
            notes.append(f"skipped {name}: {problem}")
            continue
        metrics.append(plugins.implementation("metric", cls)(config, run.clip))
    if not metrics:
        raise ConfigError("; ".join(["no metric to compute", *notes]))
    return with_every_evaluation(metrics, run, generator), notes


def with_every_evaluation(metrics: list[Metric], run: Run, generator: type[GeneratorTraits]) -> list[Metric]:
    """``metrics`` and, after them, every installed metric that declares ``in_every_evaluation`` and fits the run."""
    present = {metric.name for metric in metrics}
    extra = []
    for cls in plugins.registry("metric").classes.values():
        if cls.in_every_evaluation and cls.name not in present and not _problem(cls, cls.Config(), run, generator):
            extra.append(plugins.implementation("metric", cls)(cls.Config(), run.clip))
    return metrics + extra


def _problem(cls: type[Metric], config: Any, run: Run, generator: type[GeneratorTraits]) -> str | None:
    problem = cls.cannot_score(generator)
    if problem is None:
        try:
            cls.check_clip(config, run.clip)
        except ValueError as exc:
            problem = str(exc)
    return problem


@contextlib.contextmanager
def reported(metric: Metric) -> Iterator[None]:
    """What a metric refuses (a ``ValueError``) reaches the user as a short error that names it."""
    try:
        yield
    except ValueError as exc:
        raise VpkitError(f"metric {metric.name}: {exc}") from None


def compute_with_interval(metric: Metric, resamples: int) -> dict[str, Any]:
    """The metric's result with its confidence interval (``ci95``, ``se``) when it gives one."""
    with reported(metric):
        return {**metric.compute(), **(metric.interval(resamples) or {})}


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
        samples: int = 1,
    ):
        self.metrics, self.count, self.split, self.resamples = metrics, count, split, resamples
        self.samples, self.precision, self.ranks = samples, precision, distributed.current()
        if self.ranks.distributed:
            for metric in metrics:
                if type(metric).merge_shards is Metric.merge_shards and not metric.paired:
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
        self.baseline_cache = BaselineCache(self.cache, self.clips_key)
        self.real_stats = RealStatsCache(self.cache, self.clips_key, writes=self.ranks.main)
        reference = ReferenceClips.pick(store, split, count)
        self.reference = reference if isinstance(reference, ReferenceClips) else None
        distributional = any(not metric.paired for metric in metrics)
        self.notes = [reference] if self.reference is None and distributional else []
        self._baselines: dict[tuple[bool, int], tuple[dict, dict]] = {}  # by (conditional, context): computed once
        # A missing weights file fails here, not after training or generating; rank 0 fetches them into the cache.
        distributed.main_first(lambda: [metric.prepare() for metric in metrics])

    @classmethod
    def for_run(
        cls,
        run: Run,
        metrics: list[Metric],
        store: ClipStore,
        precision: Precision | None = None,
        split: str | None = None,
        videos: int | None = None,
        samples: int | None = None,
    ) -> Evaluator:
        """The evaluator of a run: its ``evaluation:`` settings, seed and statistics cache; ``split``,
        ``videos`` and ``samples`` override the run file's."""
        cfg = run.config.evaluation
        return cls(
            metrics,
            store,
            split or cfg.split,
            videos or cfg.videos,
            cache_dir(run) / "stats",
            batch_size=cfg.batch_size,
            seed=run.config.seed,
            resamples=cfg.resamples,
            precision=precision,
            samples=samples or cfg.samples,
        )

    # --- the model: K samples per context, paired scores per frame, distributional metrics on sample 0
    def __call__(self, generator: Generator) -> dict[str, dict[str, Any]]:
        device = next(generator.parameters()).device
        protocol = Protocol.of(
            self.split, self.count, self.clip.frames, self.clip.size, self.seed, self.resamples, generator, self.samples
        )
        paired = [m for m in self.metrics if m.paired]
        sets = [m for m in self.metrics if not m.paired]
        real_states = {}
        for metric in self.metrics:
            metric.to(device).reset()
            real_states[metric.name] = None if metric.paired else self.real_stats.load(metric)
        scores: dict[str, list[np.ndarray]] = {m.name: [] for m in paired}
        pairs: dict[str, list[np.ndarray]] = {"l1": [], DIVERSITY_METRIC: []}
        judge = next((m for m in paired if m.name == DIVERSITY_METRIC), None)
        k = protocol.context
        with self._eval_mode(generator), self._bar("evaluate") as bar:
            for index, start, stop, real in self._real_batches(device):
                videos = self._predict(generator, real, protocol, index)  # (K, B, 3, T, H, W)
                for metric in paired:
                    scores[metric.name].append(self._paired(metric, real, videos, k))
                if protocol.samples >= 2:
                    first, second = videos[0][:, :, k:], videos[1][:, :, k:]
                    pairs["l1"].append(k_samples.l1_levels(first, second))
                    if judge is not None:
                        with reported(judge):
                            pairs[DIVERSITY_METRIC].append(judge.frame_scores(first, second).mean(axis=1))
                for metric in sets:
                    with reported(metric):
                        metric.update(None if real_states[metric.name] is not None else real, videos[0])
                bar.update(stop - start)
        self._gather(sets)
        scores = self._gather_arrays(scores)
        pairs = self._gather_arrays(pairs)
        results = distributed.on_main(lambda: self._results(protocol, paired, sets, scores, pairs, judge))
        for metric in sets:
            if real_states[metric.name] is None:
                real_states[metric.name] = self.real_stats.save(metric)
        values, curves = self._baseline_scores(protocol, device, real_states)
        for metric in self.metrics:
            entry = results[metric.name]
            entry["baselines"] = {
                name: {
                    metric.name: value,
                    "model_beats": model_beats(metric, entry[metric.name], value),
                    "outside_interval": outside_interval(entry.get("ci95"), value),
                    "video": BY_NAME[name].describe(self.count, self.split, self.clip.frames, max(k, 1)),
                }
                for name, value in values[metric.name].items()
            }
            for name, points in curves[metric.name].items():
                entry["baselines"][name]["per_frame"] = points
        for metric in sets:
            if metric.order_check:
                results[metric.name]["shuffle_check"] = self._order_check(
                    metric, generator, protocol, device, results, real_states[metric.name]
                )
        return results

    def _predict(self, generator: Generator, real: torch.Tensor, protocol: Protocol, index: int) -> torch.Tensor:
        seeds = protocol.seeds(index)
        if not protocol.conditional:
            return generate(generator, len(real), None, seeds[0], self.precision).video.unsqueeze(0)
        return generate_samples(generator, real[:, :, : protocol.context], seeds, self.precision)

    @staticmethod
    def _paired(metric: Metric, real: torch.Tensor, videos: torch.Tensor, k: int) -> np.ndarray:
        """(B, K, F) scores of each sample's predicted frames against the real ones."""
        count, batch = videos.shape[:2]
        target = real[:, :, k:].repeat(count, 1, 1, 1, 1)
        with reported(metric):
            scores = np.asarray(metric.frame_scores(target, videos[:, :, :, k:].flatten(0, 1)), dtype=np.float64)
        return scores.reshape(count, batch, -1).transpose(1, 0, 2)

    def _results(self, protocol, paired, sets, scores, pairs, judge) -> dict[str, dict[str, Any]]:
        described = protocol.describe()
        results: dict[str, dict[str, Any]] = {}
        for metric in paired:
            summary = k_samples.best_and_mean(
                scores[metric.name], metric.lower_is_better, protocol.scored, self.resamples
            )
            mean = summary["mean_of_k"]
            results[metric.name] = {
                metric.name: mean["value"],
                "ci95": mean["ci95"],
                "se": mean["se"],
                "videos": len(scores[metric.name]),
                "samples": protocol.samples,
                **summary,
                **metric.describe(),
                "protocol": described,
            }
        for metric in sets:
            results[metric.name] = {**compute_with_interval(metric, self.resamples), "protocol": described}
        if protocol.conditional and protocol.samples >= 2:
            lpips = pairs[DIVERSITY_METRIC] if judge is not None else None
            entry = k_samples.diversity(pairs["l1"], lpips, self.resamples)
            results[DIVERSITY] = {**entry, "protocol": described}
        return results

    def _order_check(
        self,
        metric: Metric,
        generator: Generator,
        protocol: Protocol,
        device: torch.device,
        results: dict[str, dict[str, Any]],
        real_state: dict | None,
    ) -> dict[str, Any]:
        """The metric again, on the model's videos (sample 0) with their frames shuffled in time.

        Shuffling "changes the number" when the two values differ by more than the half-width of
        the model's own 95% interval (the noise of the number at this N); otherwise the metric sees
        no motion here. The real side comes from the cache, so this costs one pass over the model's videos.
        """
        metric.reset()
        if real_state is not None:
            metric.load_real_state(real_state)
        with self._eval_mode(generator), self._bar(f"shuffle check {metric.name}") as bar:
            for index, start, stop, real in self._real_batches(device):
                video = self._predict(generator, real, replace(protocol, samples=1), index)[0]
                order = torch.randperm(video.shape[2], generator=torch.Generator().manual_seed(self.seed + index))
                with reported(metric):
                    metric.update(None if real_state is not None else real, video[:, :, order.to(video.device)])
                bar.update(stop - start)
        self._gather([metric])
        with reported(metric):
            shuffled = float(distributed.on_main(lambda: metric.compute()[metric.name]))
        entry = results[metric.name]
        value = entry[metric.name]
        low, high = entry.get("ci95") or (value, value)
        noise = (high - low) / 2
        sees = abs(shuffled - value) > noise
        says = (
            f"{metric.name} sees the order of frames here"
            if sees
            else f"{metric.name} sees no motion here: shuffling the frames in time changes it less than its interval"
        )
        return {metric.name: shuffled, "unshuffled": value, "noise": noise, "sees_order": sees, "says": says}

    @contextlib.contextmanager
    def _eval_mode(self, generator: Generator) -> Iterator[None]:
        was_training = generator.training
        generator.eval()
        try:
            yield
        finally:
            generator.train(was_training)

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

    def _gather_arrays(self, parts: dict[str, list[np.ndarray]]) -> dict[str, np.ndarray]:
        """Each name's per-batch arrays joined along the clips, over every rank in rank order."""
        mine = {name: np.concatenate(arrays) if arrays else None for name, arrays in parts.items()}
        if not self.ranks.distributed:
            return mine
        shards = distributed.gather(mine)
        return {
            name: np.concatenate(found) if (found := [s[name] for s in shards if s[name] is not None]) else None
            for name in parts
        }

    # --- baselines: scored once per store, split, count, context and metric key, then cached
    def _baseline_scores(
        self, protocol: Protocol, device: torch.device, real_states: dict[str, dict | None]
    ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, dict]]]:
        """Each metric's score for each baseline that applies to it, and, for paired metrics, the
        baseline's per-frame curve; from the cache or scored now."""
        memo = (protocol.conditional, protocol.context)
        if memo in self._baselines:
            return self._baselines[memo]
        wanted = {
            m.name: [b for b in BASELINES if b.applies(m, protocol.conditional, self.reference is not None)]
            for m in self.metrics
        }
        stored = {m.name: self.baseline_cache.load(m, protocol.context) for m in self.metrics}
        missing = {m.name: [b for b in wanted[m.name] if b.name not in stored[m.name][0]] for m in self.metrics}
        if any(missing.values()):
            scored = self._score_baselines(missing, protocol, device, real_states)
            for metric in self.metrics:
                if missing[metric.name]:
                    values, curves = stored[metric.name]
                    values.update(scored[metric.name][0])
                    curves.update(scored[metric.name][1])
                    if self.ranks.main:
                        self.baseline_cache.save(metric, protocol.context, (values, curves))
        values = {m.name: {b.name: stored[m.name][0][b.name] for b in wanted[m.name]} for m in self.metrics}
        curves = {
            m.name: {b.name: stored[m.name][1][b.name] for b in wanted[m.name] if b.name in stored[m.name][1]}
            for m in self.metrics
        }
        self._baselines[memo] = values, curves
        return values, curves

    def _score_baselines(
        self,
        missing: dict[str, list[Baseline]],
        protocol: Protocol,
        device: torch.device,
        real_states: dict[str, dict | None],
    ) -> dict[str, tuple[dict[str, float], dict[str, dict]]]:
        """Score each missing baseline with the metrics that lack it, one baseline at a time."""
        scored: dict[str, tuple[dict[str, float], dict[str, dict]]] = {name: ({}, {}) for name in missing}
        k = protocol.context
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
            scores: dict[str, list[np.ndarray]] = {m.name: [] for m in metrics if m.paired}
            with self._bar(f"baseline {baseline.name}") as bar:
                for _, start, stop, real in self._real_batches(device):
                    reference = self.reference.batch(start, stop, device) if baseline.uses_reference else None
                    video = baseline.make(BaselineInputs(real, reference, mean_frame, max(k, 1)))
                    for metric in metrics:
                        if metric.paired:
                            scores[metric.name].append(self._paired(metric, real, video[None], k))
                        else:
                            with reported(metric):
                                metric.update(None if real_states[metric.name] is not None else real, video)
                    bar.update(stop - start)
            self._gather([m for m in metrics if not m.paired])
            scores = self._gather_arrays(scores)
            for metric in metrics:
                values, curves = scored[metric.name]
                if metric.paired:
                    values[baseline.name], curve = k_samples.one_video_each(scores[metric.name], protocol.scored)
                    if curve is not None:
                        curves[baseline.name] = curve
                else:
                    with reported(metric):
                        values[baseline.name] = float(metric.compute()[metric.name])
        return scored
