"""``vpkit evaluate`` as a user meets it: where its results go, and what it says when they cannot go there."""

import json
import shutil
import sys

from click.testing import CliRunner

from vpkit.commands.cli import cli


def test_a_read_only_run_directory_is_refused_before_the_evaluation(plain_run, tmp_path, read_only):
    run_dir = tmp_path / "run"
    shutil.copytree(plain_run, run_dir)
    result = read_only(run_dir, sys.executable, "-m", "vpkit", "evaluate", run_dir, "--metrics", "ssim", "-n", "4")
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {run_dir}: cannot write metrics.json there (Read-only file system)"
    assert result.stdout == ""  # refused before any video was generated
    assert not (run_dir / "metrics.json").exists()


def test_results_that_cannot_be_written_are_printed_and_named(future_run, tmp_path, full_disk):
    run_dir = tmp_path / "run"
    shutil.copytree(future_run, run_dir)
    with full_disk(200):  # the run directory takes a file, but not metrics.json (a few kB)
        result = CliRunner().invoke(cli, ["evaluate", str(run_dir), "--metrics", "ssim,psnr", "-n", "4"])
    assert result.exit_code == 1
    assert "ssim" in result.stdout and "psnr" in result.stdout  # the table is there
    assert (
        f"Error: {run_dir / 'metrics.json'}: cannot write it (File too large); the results above are not saved"
        in result.stderr
    )
    assert not (run_dir / "metrics.json").exists() and not list(run_dir.glob(".*.tmp*"))


def test_json_is_the_evaluation_as_metrics_json_holds_it(future_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(future_run, run_dir)
    result = CliRunner().invoke(cli, ["evaluate", str(run_dir), "--metrics", "ssim,psnr", "-n", "4", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)  # stdout is the JSON alone
    assert printed == json.loads((run_dir / "metrics.json").read_text())
    assert {"ssim", "psnr"} <= printed["metrics"].keys() and printed["metrics"]["ssim"]["baselines"]
