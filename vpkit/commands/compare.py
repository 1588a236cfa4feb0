"""``vpkit compare A B``: two evaluations side by side, and whether they differ by more than noise.

A and B are ``metrics.json`` files written by ``vpkit evaluate``, or run directories holding
one. A metric is compared only when both numbers were computed under the same protocol
(:data:`PROTOCOL`: weights, number of videos, split, frames, size, context frames, samples
per context, scored frames, preprocessing and the like); otherwise nothing is compared and
the error names every field that differs. The seed is not part of it: other latents are
exactly the noise the intervals describe.

The difference B - A is significant when it exceeds 1.96 standard errors of a difference,
``sqrt(se_A² + se_B²)``, with each ``se`` from the evaluation's bootstrap: a two-sided test at
the 5% level that treats the two values as independent. Two runs scored on the same real
clips share that part of the noise, which makes the test conservative.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from vpkit import plugins
from vpkit.engine.run_layout import RunLayout
from vpkit.errors import VpkitError

#: What must be equal for two values of a metric to be comparable: fields of its protocol, then of its result.
PROTOCOL = {
    "protocol": (
        "split",
        "videos",
        "frames",
        "size",
        "context",
        "samples",
        "scored_frames",
        "paired_frames",
        "distributional",
        "resamples",
    ),
    "result": (
        "weights_sha256",
        "backbone_sha256",
        "features",
        "preprocessing",
        "covariance",
        "net",
        "version",
        "on",
        "inputs",
        "real_videos",
        "generated_videos",
        "videos",
    ),
}
Z_95 = 1.959964


def load_results(path: Path) -> tuple[Path, dict[str, Any]]:
    """The metrics.json at ``path`` (a file or a run directory) and its contents."""
    path = Path(path)
    file = RunLayout(path).evaluation if path.is_dir() else path
    if not file.is_file():
        raise VpkitError(f"{path}: no {RunLayout(path).evaluation.name} there (run `vpkit evaluate` on the run first)")
    try:
        document = json.loads(file.read_text())
        metrics = document["metrics"]
        if not isinstance(metrics, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise VpkitError(f"{file}: not a metrics.json written by `vpkit evaluate`") from None
    return file, document


def protocol_differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """'field (A vs B)' for each protocol field in which two results of one metric differ."""
    pairs = [
        (field, a.get("protocol", {}).get(field), b.get("protocol", {}).get(field)) for field in PROTOCOL["protocol"]
    ]
    pairs += [(field, a.get(field), b.get(field)) for field in PROTOCOL["result"]]
    differences: dict[str, str] = {}  # a field in both the protocol and the result is named once
    for field, left, right in pairs:
        if left != right:
            differences.setdefault(field, f"{field} ({left} vs {right})")
    return list(differences.values())


def compare(path_a: Path, path_b: Path) -> dict[str, Any]:
    """Both files, and per metric in both: the two results, B - A, z and the verdict."""
    file_a, doc_a = load_results(path_a)
    file_b, doc_b = load_results(path_b)
    shared = [name for name in doc_a["metrics"] if name in doc_b["metrics"]]
    if not shared:
        raise VpkitError(f"{file_a} and {file_b} have no metric in common")
    refused = {name: protocol_differences(doc_a["metrics"][name], doc_b["metrics"][name]) for name in shared}
    refused = {name: differences for name, differences in refused.items() if differences}
    if refused:
        lines = [f"{name}: {'; '.join(differences)}" for name, differences in refused.items()]
        raise VpkitError("refusing to compare numbers computed under different protocols:\n  " + "\n  ".join(lines))
    rows = {name: _row(name, doc_a["metrics"][name], doc_b["metrics"][name]) for name in shared}
    for name, row in rows.items():
        row["step_a"] = entry_step(doc_a, name)
        row["step_b"] = entry_step(doc_b, name)
    only = sorted(doc_a["metrics"].keys() ^ doc_b["metrics"].keys())
    return {
        "a": str(file_a),
        "b": str(file_b),
        "step_a": common_step(rows, "step_a"),
        "step_b": common_step(rows, "step_b"),
        "metrics": rows,
        "only_in_one": only,
    }


def entry_step(document: dict[str, Any], name: str) -> int | None:
    """The checkpoint step one metric was scored at: ``vpkit evaluate`` adds entries to
    metrics.json over time, so each may come from another checkpoint than the document's last."""
    return document["metrics"][name].get("step", document.get("step"))


def common_step(rows: dict[str, dict[str, Any]], side: str) -> int | None:
    """The step every compared entry on one side was scored at, or None when they differ."""
    steps = {row[side] for row in rows.values()}
    return steps.pop() if len(steps) == 1 else None


def _row(name: str, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    difference = b[name] - a[name]
    row: dict[str, Any] = {
        "a": a[name],
        "b": b[name],
        "ci95_a": a.get("ci95"),
        "ci95_b": b.get("ci95"),
        "difference": difference,
    }
    if a.get("se") is None or b.get("se") is None:
        row["verdict"] = "no standard errors (evaluated before intervals existed): significance unknown"
        return row
    spread = math.hypot(a["se"], b["se"])
    if spread > 0:
        row["z"] = difference / spread
    else:  # both intervals are points: any difference is beyond noise
        row["z"] = math.copysign(math.inf, difference) if difference else 0.0
    if abs(row["z"]) < Z_95:
        row["verdict"] = "not significant"
        return row
    registry = plugins.registry("metric").classes
    if name in registry:
        better = "A" if (difference > 0) == registry[name].lower_is_better else "B"
        row["verdict"] = f"significant: {better} is better"
    else:
        row["verdict"] = "significant"
    return row
