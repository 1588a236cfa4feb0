"""The commands that must answer at once import no torch (and no yt-dlp or numpy's heavy
users): help, version, validate, plugins and shell completion. How fast that makes them is
measured by benchmarks/bench_cli_startup.py, not here."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("torch", "torchvision", "yt_dlp", "lpips", "decord", "tensorboard", "scipy")

PROBE = f"""
import json, sys
from vpkit.commands.cli import main
sys.argv = ["vpkit", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {HEAVY} if m in sys.modules)), file=sys.stderr)
"""


def imported(args: list[str], **env: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
    )
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["run", "--help"],
        ["validate", "examples/quickstart.yaml"],
        ["validate", "examples/basketball_future.yaml"],  # the youtube source
        ["validate", "examples/quickstart.yaml", "--set", "metrics=[fvd, lpips, ssim, psnr]"],
        ["plugins"],
    ],
)
def test_quick_commands_import_nothing_heavy(args):
    assert imported(args) == []


def test_completion_imports_nothing_heavy():
    assert (
        imported(
            [],
            _VPKIT_COMPLETE="bash_complete",
            COMP_LINE="vpkit run examples/basketball_future.yaml --set metrics.0.name=",
        )
        == []
    )
