"""Evaluation during training: every ``evaluation.every`` steps the run's metrics are computed,
appended to ``metrics.jsonl``, written to TensorBoard under ``metrics/``, and the generator
that scores best on ``evaluation.best`` is kept as ``checkpoints/best.pt``.

A resumed run drops ``metrics.jsonl`` lines past its checkpoint and recovers the best value
from the lines it keeps, so the file and the best checkpoint read as one run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit.atomic import write_text
from vpkit.clips import ClipStore
from vpkit.components import Generator
from vpkit.evaluate import Evaluator
from vpkit.prepare import cache_dir
from vpkit.runfile import Run

LOG = "metrics.jsonl"


class TrainingEvaluation:
    def __init__(self, run: Run, store: ClipStore, run_dir: Path, step: int):
        cfg = run.config.evaluation
        self.every = cfg.every
        metrics = [m.cls(m.config, run.clip) for m in run.metrics]
        self.best_metric = next(m for m in metrics if m.name == (cfg.best or metrics[0].name))
        self.evaluator = Evaluator(metrics, store, cfg.split, cfg.videos, cache_dir(run) / "stats", cfg.batch_size, run.config.seed)
        self.log_path = Path(run_dir) / LOG
        self.lines = self._kept_lines(step)
        write_text(self.log_path, "".join(line + "\n" for line in self.lines))
        scores = [json.loads(line)[self.best_metric.name] for line in self.lines]
        self.best = (min if self.best_metric.lower_is_better else max)(scores) if scores else None

    def _kept_lines(self, step: int) -> list[str]:
        if not self.log_path.exists():
            return []
        return [line for line in self.log_path.read_text().splitlines() if line and json.loads(line)["step"] <= step]

    def due(self, step: int, last_step: int) -> bool:
        return step % self.every == 0 or step == last_step

    def __call__(self, generator: Generator, step: int, tensorboard: Any) -> bool:
        """Evaluate and log; True when this step's generator is the best so far."""
        results = self.evaluator(generator)
        values = {name: float(result[name]) for name, result in results.items()}
        for name, value in values.items():
            tensorboard.add_scalar(f"metrics/{name}", value, step)
        line = {"step": step, **values, "protocol": next(iter(results.values()))["protocol"]}
        self.lines.append(json.dumps(line))
        write_text(self.log_path, "".join(entry + "\n" for entry in self.lines))
        score = values[self.best_metric.name]
        better = self.best is None or (score < self.best if self.best_metric.lower_is_better else score > self.best)
        if better:
            self.best = score
        return better
