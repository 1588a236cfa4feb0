"""``vpkit evaluate``: score a run's checkpoint, write ``metrics.json`` into its run directory and
the pictures of the evaluation into its ``eval/`` (and TensorBoard: :mod:`vpkit.engine.evaluate.plots`).

The run directory must take a file before any work starts (an evaluation can take an hour);
should it stop taking one while the evaluation runs, the command still prints the results and
says where they could not be written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit.atomic import check_writable, write_json
from vpkit.data.prepare import prepare_store
from vpkit.engine import distributed
from vpkit.engine.evaluate.evaluator import Evaluator, build_metrics
from vpkit.engine.evaluate.plots import write_plots
from vpkit.engine.generate import load_generator
from vpkit.engine.run_layout import RunLayout

#: Seconds a process of a sharded evaluation waits for the others before it stops.
TIMEOUT_S = 1800


def evaluate_run(
    run_dir: str | Path,
    names: list[str] | None = None,
    videos: int | None = None,
    split: str | None = None,
    device: str = "auto",
    checkpoint: str | Path = "last",
    samples: int | None = None,
) -> tuple[dict[str, Any] | None, list[str]]:
    """Evaluate a checkpoint of the run (``last``, ``best`` or a path), with every earlier result of
    ``metrics.json``.

    Returns the document for :func:`save_results` and notes for the user on what it left out
    (metrics that do not fit the run, baselines without enough reference clips). Under torchrun
    every rank scores its share and rank 0 reports: the other ranks get None for the document.
    """
    layout = RunLayout(run_dir)
    if distributed.from_environment().main and layout.root.is_dir():  # a missing one: load_generator says so
        check_writable(layout.root, layout.evaluation.name)
    with distributed.process_group(device, TIMEOUT_S) as (ranks, target):  # under torchrun: a share each
        trained = load_generator(run_dir, checkpoint, str(target))
        run = trained.run
        metrics, notes = build_metrics(run, names, type(trained.generator))
        store = distributed.main_first(lambda: prepare_store(run))
        evaluator = Evaluator.for_run(run, metrics, store, trained.precision, split, videos, samples)
        results = evaluator(trained.generator)
    for result in results.values():  # each entry says what it scored, whatever is evaluated later
        result.update(step=trained.step, checkpoint=str(trained.checkpoint))
    document = {
        "run": str(run_dir),
        "checkpoint": str(trained.checkpoint),
        "step": trained.step,
        "metrics": {**earlier_results(layout.evaluation), **results},
    }
    return (document if ranks.main else None), notes + evaluator.notes


def this_evaluation(document: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``document["metrics"]`` scored now (``metrics.json`` keeps earlier evaluations too)."""
    now = (document["step"], document["checkpoint"])
    return {
        name: result
        for name, result in document["metrics"].items()
        if (result.get("step"), result.get("checkpoint")) == now
    }


def save_results(run_dir: str | Path, document: dict[str, Any]) -> Path:
    """Write ``document`` to the run's ``metrics.json`` and this evaluation's pictures to ``eval/``
    (a :class:`~vpkit.atomic.WriteError` if it cannot)."""
    path = RunLayout(run_dir).evaluation
    write_json(path, document)
    write_plots(this_evaluation(document), Path(run_dir), document["step"])
    return path


def earlier_results(path: Path) -> dict[str, Any]:
    """The metrics an earlier ``vpkit evaluate`` wrote: ``--metrics lpips`` after ``--metrics ssim,psnr``
    adds LPIPS and keeps SSIM and PSNR. A damaged file is not worth an error: it is replaced."""
    try:
        metrics = json.loads(path.read_text(encoding="utf-8")).get("metrics")
    except (OSError, ValueError, AttributeError):
        return {}
    return metrics if isinstance(metrics, dict) else {}
