"""``vpkit evaluate``: score a run's checkpoint and write ``metrics.json`` into its run directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit.atomic import write_json
from vpkit.data.prepare import prepare_store
from vpkit.engine import distributed
from vpkit.engine.evaluate.evaluator import Evaluator, build_metrics
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
) -> tuple[dict[str, Any] | None, list[str]]:
    """Evaluate a checkpoint of the run (``last``, ``best`` or a path); add the results to ``metrics.json``
    in the run directory.

    Returns the written document and notes for the user on what it left out (metrics that do
    not fit the run, baselines without enough reference clips). Under torchrun every rank scores
    its share and rank 0 writes: the other ranks get None for the document.
    """
    with distributed.process_group(device, TIMEOUT_S) as (ranks, target):  # under torchrun: a share each
        trained = load_generator(run_dir, checkpoint, str(target))
        run = trained.run
        metrics, notes = build_metrics(run, names, type(trained.generator))
        store = distributed.main_first(lambda: prepare_store(run))
        evaluator = Evaluator.for_run(run, metrics, store, trained.precision, split, videos)
        results = evaluator(trained.generator)
    for result in results.values():  # each entry says what it scored, whatever is evaluated later
        result.update(step=trained.step, checkpoint=str(trained.checkpoint))
    document = {
        "run": str(run_dir),
        "checkpoint": str(trained.checkpoint),
        "step": trained.step,
        "metrics": {**earlier_results(RunLayout(run_dir).evaluation), **results},
    }
    if not ranks.main:
        return None, notes + evaluator.notes
    write_json(RunLayout(run_dir).evaluation, document)
    return document, notes + evaluator.notes


def earlier_results(path: Path) -> dict[str, Any]:
    """The metrics an earlier ``vpkit evaluate`` wrote: ``--metrics lpips`` after ``--metrics ssim,psnr``
    adds LPIPS and keeps SSIM and PSNR. A damaged file is not worth an error: it is replaced."""
    try:
        metrics = json.loads(path.read_text(encoding="utf-8")).get("metrics")
    except (OSError, ValueError, AttributeError):
        return {}
    return metrics if isinstance(metrics, dict) else {}
