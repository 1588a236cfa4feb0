"""vpkit runs: real runs, finished, running and killed, listed from their small files."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest


def vpkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vpkit", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def listed(folder) -> dict[str, dict]:
    result = vpkit("runs", folder, "--json")
    assert result.returncode == 0, result.stderr
    return {os.path.basename(run["run"]): run for run in json.loads(result.stdout)}


@pytest.mark.skipif(os.name != "posix", reason="kills a process")
def test_finished_running_and_killed_runs(tiny_run, tmp_path):
    runs = tmp_path / "runs"
    assert vpkit("run", tiny_run(steps=2), "-o", runs / "done").returncode == 0
    endless = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vpkit",
            "run",
            str(tiny_run(steps=100000, name="long.yaml")),
            "-o",
            str(runs / "long"),
            "--set",
            "train.checkpoint_every=1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not (runs / "long" / "checkpoints" / "last.pt").exists():
            time.sleep(0.2)
        found = listed(runs)
        assert found["long"]["status"] == "running" and found["long"]["steps"] == 100000
    finally:
        endless.send_signal(signal.SIGKILL)
        endless.wait(60)

    found = listed(runs)
    assert found["done"]["status"] == "finished" and (found["done"]["step"], found["done"]["steps"]) == (2, 2)
    assert found["done"]["bytes"] > 10_000 and found["done"]["updated"]
    assert found["long"]["status"] == "interrupted" and found["long"]["step"] >= 1  # killed: its process is gone

    table = vpkit("runs", runs).stdout.splitlines()
    assert table[0].split() == ["run", "step", "status", "size", "updated", "metrics"]
    assert table[1].split()[:3] == [str(runs / "done"), "2/2", "finished"]


def test_latest_metrics_prefer_vpkit_evaluate(tiny_run, tmp_path):
    run_dir = tmp_path / "runs" / "r"
    assert vpkit("run", tiny_run(steps=1), "-o", run_dir).returncode == 0
    (run_dir / "metrics.jsonl").write_text('{"step": 1, "ssim": 0.25, "psnr": 18.0, "protocol": {}}\n')
    (run_dir / "metrics.json").write_text(json.dumps({"step": 1, "metrics": {"ssim": {"ssim": 0.5, "protocol": {}}}}))
    assert listed(run_dir)["r"]["metrics"] == {"ssim": 0.5, "psnr": 18.0}  # a run directory itself lists that run
    assert "ssim 0.5  psnr 18" in vpkit("runs", run_dir).stdout


def test_not_a_folder_and_an_empty_one(tmp_path):
    missing = vpkit("runs", tmp_path / "absent")
    assert missing.returncode == 2 and "absent: no such folder" in missing.stderr
    empty = vpkit("runs", tmp_path)
    assert empty.returncode == 0 and f"no runs in {tmp_path}" in empty.stderr
