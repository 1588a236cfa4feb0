"""``vpkit runs``: the runs under a folder, with their step, state, last metrics and size.

Reads only small files (``config.yaml``, ``status.json``, the last lines of the logs), never
a checkpoint, so it answers at once on a folder of large runs.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from vpkit.engine.run_layout import RunLayout
from vpkit.errors import ConfigError


def find_runs(root: Path) -> list[Path]:
    """``root`` itself when it is a run, else the runs directly inside it, by name."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"{root}: no such folder")
    if RunLayout(root).config.is_file():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and RunLayout(p).config.is_file())


def describe(run_dir: Path) -> dict[str, Any]:
    """One run: name, step and planned steps, state, when it last changed, last metrics, size on disk."""
    from vpkit.engine.train import run_state

    layout = RunLayout(run_dir)
    steps = _planned_steps(layout)
    state = run_state.read(run_dir)
    if state is not None:
        step, status = state.get("step"), state.get("state")
    else:  # a run from before status.json: its logs tell the step
        step = _last(layout.log).get("step")
        status = run_state.FINISHED if step is not None and step == steps else run_state.INTERRUPTED
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    return {
        "run": str(run_dir),
        "step": step,
        "steps": steps,
        "status": status,
        "updated": _when(max((p.stat().st_mtime for p in files), default=None)),
        "metrics": _metrics(layout),
        "bytes": sum(p.stat().st_size for p in files),
    }


def _planned_steps(layout: RunLayout) -> int | None:
    try:
        config = yaml.safe_load(layout.config.read_text(encoding="utf-8"))
        return int(config["train"]["steps"])
    except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError):
        return None


def _metrics(layout: RunLayout) -> dict[str, float]:
    """The latest numbers: ``metrics.json`` (``vpkit evaluate``) over the last line of ``metrics.jsonl``."""
    values = {k: v for k, v in _last(layout.metrics_log).items() if k not in ("step", "protocol")}
    try:
        evaluated = json.loads(layout.evaluation.read_text(encoding="utf-8")).get("metrics", {})
    except (OSError, ValueError, AttributeError):
        evaluated = {}
    for name, result in evaluated.items() if isinstance(evaluated, dict) else ():
        if isinstance(result, dict) and isinstance(result.get(name), (int, float)):
            values[name] = result[name]
    return {k: v for k, v in values.items() if isinstance(v, (int, float))}


def _last(path: Path) -> dict[str, Any]:
    """The last complete JSON line of a log, or nothing."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    for line in reversed(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            return record
    return {}


def _when(mtime: float | None) -> str | None:
    return datetime.fromtimestamp(mtime, timezone.utc).isoformat(timespec="seconds") if mtime else None


def table(runs: list[dict[str, Any]]) -> list[str]:
    """The runs as aligned text: one line each."""
    from vpkit.engine.train.console import size

    rows = [("run", "step", "status", "size", "updated", "metrics")]
    for run in runs:
        progress = f"{run['step'] if run['step'] is not None else '?'}/{run['steps'] or '?'}"
        metrics = "  ".join(f"{name} {value:.4g}" for name, value in run["metrics"].items())
        updated = (run["updated"] or "")[:16].replace("T", " ")
        rows.append((run["run"], progress, run["status"] or "?", size(run["bytes"]), updated, metrics))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip() for row in rows
    ]
