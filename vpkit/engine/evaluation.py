"""Metric evaluation over a run: generate videos, compare them with real clips, and report
every number beside the protocol it was computed under.

The first ``videos`` clips of a split are the real set. A conditional generator predicts
from each clip's first frame; paired metrics then compare the predicted frames 1..T-1 with
the clip's real frames 1..T-1 (frame 0 was given). Distributional metrics see whole clips.
Latents are drawn from a fixed seed, so evaluations at different steps see the same noise.
Statistics of the real set are cached on disk, keyed by the clip store, split, count and
the metric's own key (extractor and weights hash), so later evaluations only extract
features of generated videos.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from vpkit import plugins
from vpkit.atomic import atomic_path
from vpkit.components import GeneratorTraits, Metric
from vpkit.config.runfile import Run
from vpkit.data.clips import ClipDataset, ClipStore
from vpkit.engine.generate import generate
from vpkit.errors import ConfigError, VpkitError
from vpkit.networks import Generator
from vpkit.video.files import clips_to_tensor


@dataclass(frozen=True)
class Protocol:
    """What every number of one evaluation was computed on."""

    split: str
    videos: int
    frames: int
    size: int
    seed: int
    paired_frames: str = "predicted frames 1..T-1 from frame 0 vs the real frames 1..T-1"


def build_metrics(run: Run, names: list[str] | None, generator: type[GeneratorTraits]) -> tuple[list[Metric], list[str]]:
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
    """Scores a generator against the first ``count`` clips of a split; reusable across training steps."""

    def __init__(self, metrics: list[Metric], store: ClipStore, split: str, count: int, stats_dir: Path,
                 batch_size: int = 16, seed: int = 0):
        self.metrics, self.count = metrics, count
        self.dataset: ClipDataset = store.split(split)
        if count > len(self.dataset):
            raise ConfigError(f"the {split} split of {store.root} has {len(self.dataset)} clips, fewer than the {count} videos "
                              f"asked for; lower -n or evaluation.videos to at most {len(self.dataset)}")
        self.clips_key = {"store": store.manifest["fingerprint"], "frames": store.clip.frames, "size": store.clip.size,
                          "split": split, "count": count}
        self.stats_dir, self.batch_size, self.seed = Path(stats_dir), batch_size, seed
        self.protocol = Protocol(split, count, store.clip.frames, store.clip.size, seed)
        for metric in metrics:  # a missing weights file fails here, not after training or generating
            metric.prepare()

    def __call__(self, generator: Generator) -> dict[str, dict[str, Any]]:
        device = next(generator.parameters()).device
        for metric in self.metrics:
            metric.to(device).reset()
        cached = {metric.name: self._load_real_state(metric) for metric in self.metrics}
        was_training = generator.training
        generator.eval()
        try:
            # On a terminal only, and gone when done: elsewhere a bar is a line of carriage returns.
            with tqdm(total=self.count, desc="evaluate", unit="video", file=sys.stderr, dynamic_ncols=True,
                      disable=None, leave=False) as bar:
                for index, start in enumerate(range(0, self.count, self.batch_size)):
                    stop = min(start + self.batch_size, self.count)
                    real = clips_to_tensor(self.dataset.gather(range(start, stop)), device)
                    condition = real[:, :, 0] if generator.conditional else None
                    video = generate(generator, stop - start, condition, seed=self.seed + index).video
                    for metric in self.metrics:
                        self._update(metric, real, video, cached[metric.name])
                    bar.update(stop - start)
        finally:
            generator.train(was_training)
        results = {}
        for metric in self.metrics:
            results[metric.name] = {**_compute(metric), "protocol": asdict(self.protocol)}
            if not cached[metric.name]:
                self._save_real_state(metric)
        return results

    @staticmethod
    def _update(metric: Metric, real: torch.Tensor, video: torch.Tensor, real_cached: bool) -> None:
        try:
            if metric.paired:
                metric.update(real[:, :, 1:], video[:, :, 1:])
            else:
                metric.update(None if real_cached else real, video)
        except ValueError as exc:
            raise VpkitError(f"metric {metric.name}: {exc}") from None

    def _stats_path(self, metric: Metric) -> Path | None:
        key = metric.real_key()
        if key is None:
            return None
        text = json.dumps({"clips": self.clips_key, "metric": metric.name, "key": key}, sort_keys=True)
        return self.stats_dir / f"{metric.name}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.npz"

    def _load_real_state(self, metric: Metric) -> bool:
        path = self._stats_path(metric)
        if path is None or not path.is_file():
            return False
        with np.load(path) as data:
            metric.load_real_state({k: data[k] for k in data.files})
        return True

    def _save_real_state(self, metric: Metric) -> None:
        path = self._stats_path(metric)
        if path is None:
            return
        with atomic_path(path) as tmp:
            np.savez(tmp, **metric.real_state())


def _compute(metric: Metric) -> dict[str, Any]:
    try:
        return metric.compute()
    except ValueError as exc:
        raise VpkitError(f"metric {metric.name}: {exc}") from None
