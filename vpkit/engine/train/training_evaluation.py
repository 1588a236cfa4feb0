"""Evaluation during training: every ``evaluation.every`` steps the run's metrics are computed,
appended with their baselines to ``metrics.jsonl`` (the trainer hands both to the run's loggers,
as ``metrics/<name>`` and ``baselines/<name>/<baseline>``, and to the console), and the
generator that scores best on ``evaluation.best`` is kept as ``checkpoints/best.pt``.

A resumed run drops ``metrics.jsonl`` lines past its checkpoint and recovers the best value
from the lines it keeps, so the file and the best checkpoint read as one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vpkit.config.runfile import Run
from vpkit.data.clips import ClipStore
from vpkit.engine import distributed
from vpkit.engine.evaluate.baselines import model_beats, verdict
from vpkit.engine.evaluate.evaluator import Evaluator, with_every_evaluation
from vpkit.engine.precision import Precision
from vpkit.engine.run_layout import RunLayout
from vpkit.engine.train.jsonl_log import JsonlLog
from vpkit.engine.train.schedule import due
from vpkit.networks import Generator
from vpkit.progress import note as say


@dataclass
class EvaluationResult:
    """One evaluation's values by metric name, whether they are the best so far by ``best_metric``
    (``evaluation.best``), and each metric's baseline scores with the verdict on them (empty where
    no baseline applies)."""

    values: dict[str, float]
    is_best: bool
    best_metric: str
    baselines: dict[str, dict[str, float]]
    verdicts: dict[str, str]

    def baseline_scalars(self) -> dict[str, float]:
        """The baseline scores as ``<metric>/<baseline>``, for the loggers' ``baselines`` section."""
        return {
            f"{name}/{baseline}": score for name, scores in self.baselines.items() for baseline, score in scores.items()
        }


class TrainingEvaluation:
    """``ranks``: where this process stands in the run (every rank evaluates its share)."""

    def __init__(
        self,
        run: Run,
        store: ClipStore,
        run_dir: Path,
        step: int,
        ranks: distributed.Ranks,
        precision: Precision | None = None,
    ):
        options = run.config.evaluation
        self.every, self.last_step = options.every, run.config.train.steps
        metrics = with_every_evaluation([m.build(run.clip) for m in run.metrics], run, run.generator.cls)
        self.best_metric = next(m for m in metrics if m.name == (options.best or metrics[0].name))
        self.evaluator = Evaluator.for_run(run, metrics, store, precision)
        # Every rank evaluates its share; rank 0 alone says and writes what came of it.
        self.writes = ranks.main
        for note in self.evaluator.notes if self.writes else []:
            say(f"note: {note}")
        self.log = JsonlLog(RunLayout(run_dir).metrics_log)
        records = self.log.trim(step) if self.writes else []
        scores = [record[self.best_metric.name] for record in records if self.best_metric.name in record]
        self.best = None
        for score in scores:
            self.best = score if self.best is None or model_beats(self.best_metric, score, self.best) else self.best

    def due(self, step: int) -> bool:
        return due(step, self.every, self.last_step)

    def __call__(self, generator: Generator, step: int) -> EvaluationResult:
        """Evaluate, log to ``metrics.jsonl`` with the baselines, and keep track of the best score."""
        results = self.evaluator(generator)
        values = {name: float(result[name]) for name, result in results.items()}
        baselines = {
            name: {b: entry[name] for b, entry in result.get("baselines", {}).items()}
            for name, result in results.items()
        }
        verdicts = {name: verdict(result["baselines"]) for name, result in results.items() if result.get("baselines")}
        if self.writes:
            self.log.append(
                {"step": step, **values, "baselines": baselines, "protocol": next(iter(results.values()))["protocol"]}
            )
        score = values[self.best_metric.name]
        better = self.best is None or model_beats(self.best_metric, score, self.best)
        if better:
            self.best = score
        return EvaluationResult(values, better, self.best_metric.name, baselines, verdicts)
