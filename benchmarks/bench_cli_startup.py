"""Start-up time of the quick commands beside a baseline commit's, in one run (a benchmark, not a test).

Times ``vpkit --help``, ``--version``, ``validate examples/quickstart.yaml`` and one shell
completion (a TAB after ``--set model.generator.name=``), each as a fresh process, for the
working tree and for a baseline commit checked out with ``git worktree``. Runs alternate
between the two so that the load of a shared machine falls on both alike; it prints the median
of each and the ratio baseline / now.

    python benchmarks/bench_cli_startup.py [--baseline 78776b6] [--repeat 7]

The baseline runs with the same interpreter and installed packages; only vpkit's code (the
core and the bundled plugins) comes from the baseline's tree, put first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The installed console script, as a user runs it; PYTHONPATH decides which tree it imports.
VPKIT = Path(sys.executable).parent / "vpkit"
#: The commit this work branched from: every bundled plugin imported torch when loaded.
DEFAULT_BASELINE = "78776b6"

COMMANDS = {
    "--help": (["--help"], {}),
    "--version": (["--version"], {}),
    "validate": (["validate", "examples/quickstart.yaml"], {}),
    # click's zsh protocol: the same in both trees (the baseline has no bash protocol of its own)
    "completion": (
        [],
        {
            "_VPKIT_COMPLETE": "zsh_complete",
            "COMP_WORDS": "vpkit run examples/quickstart.yaml --set model.generator.name=",
            "COMP_CWORD": "4",
        },
    ),
}


def tree_env(tree: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), str(tree / "plugins")])
    return env


def once(args: list[str], extra: dict[str, str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run([str(VPKIT), *args], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"vpkit {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="Commit to compare with.")
    parser.add_argument("--repeat", type=int, default=7, help="Runs of each command in each tree.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline), options.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            envs = {"baseline": tree_env(baseline), "now": tree_env(None)}
            times: dict[str, dict[str, list[float]]] = {name: {"baseline": [], "now": []} for name in COMMANDS}
            for name, (args, extra) in COMMANDS.items():
                for tree in envs:  # one untimed run each, so both start with warm file caches
                    once(args, extra, envs[tree])
                for _ in range(options.repeat):
                    for tree in envs:
                        times[name][tree].append(once(args, extra, envs[tree]))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=True)

    print(f"median of {options.repeat} runs each, baseline {options.baseline} vs the working tree")
    print(f"{'command':<12} {'baseline s':>11} {'now s':>8} {'baseline/now':>13}")
    for name, runs in times.items():
        before, after = statistics.median(runs["baseline"]), statistics.median(runs["now"])
        print(f"{name:<12} {before:>11.3f} {after:>8.3f} {before / after:>12.1f}x")


if __name__ == "__main__":
    main()
