"""The cost of K samples per context: one ``vpkit evaluate`` at K = 1, 4 and 16 against K
separate K = 1 calls, as a ratio, in one run.

    python benchmarks/bench_eval.py RUN_DIR [--metrics ssim,psnr,lpips] [-n 64] [--samples 1 4 16]

RUN_DIR is a trained conditional run (``examples/future_quickstart.yaml``). It is copied to a
temporary directory first (evaluations write metrics.json and eval/ there, not into RUN_DIR).
One untimed evaluation fills the statistics cache (real-side statistics, baselines), as any
earlier evaluation of the run would have; then each timed call is what ``vpkit evaluate -k K``
does, from loading the checkpoint to writing the pictures. K separate calls cost K times one
K = 1 call: each is the same work (another seed changes no cost), so it is timed once. The
ratio is the saving from generating and scoring the K samples in batches, and from loading the
model, the metric networks and the cached real side once instead of K times. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import torch

from vpkit.commands.evaluate import evaluate_run, this_evaluation
from vpkit.commands.score import parse_metrics


def timed(run_dir: Path, names, videos: int, samples: int, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        evaluate_run(run_dir, names, videos, samples=samples, device="cpu")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--metrics", help="Comma-separated metrics (default: the run file's, else all that apply).")
    parser.add_argument("-n", "--videos", type=int, help="Contexts (default: evaluation.videos).")
    parser.add_argument("--samples", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--repeats", type=int, default=1, help="Timed calls per K (the median is shown).")
    args = parser.parse_args()
    names = parse_metrics(args.metrics) if args.metrics else None
    with tempfile.TemporaryDirectory() as work:
        run_dir = Path(work) / args.run_dir.name
        shutil.copytree(args.run_dir, run_dir, ignore=shutil.ignore_patterns("tensorboard", "samples", "eval"))
        document, _ = evaluate_run(run_dir, names, args.videos, samples=1, device="cpu")  # fills the cache
        scored = this_evaluation(document)
        shown, protocol = sorted(scored), next(iter(scored.values()))["protocol"]
        print(
            f"{args.run_dir}: {protocol['videos']} contexts, {', '.join(shown)}; CPU, {torch.get_num_threads()} "
            f"threads, load average {os.getloadavg()[0]:.1f}"
        )
        one = timed(run_dir, names, args.videos, 1, args.repeats)
        print(f"{'K':>3}  {'one call with K samples':>24}  {'K separate calls':>17}  ratio")
        for k in args.samples:
            batched = one if k == 1 else timed(run_dir, names, args.videos, k, args.repeats)
            print(f"{k:>3}  {batched:>22.1f} s  {k * one:>15.1f} s  {k * one / batched:.2f}x")


if __name__ == "__main__":
    main()
