"""The CLI end to end, and what it does with bad input."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch
import yaml
from click.testing import CliRunner

from vpkit.commands.cli import cli


def vpkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vpkit", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_run_writes_a_complete_run_directory(tiny_run, tmp_path):
    result = CliRunner().invoke(cli, ["run", str(tiny_run(steps=3)), "-o", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    run = tmp_path / "run"
    config = yaml.safe_load((run / "config.yaml").read_text())
    assert config["train"]["steps"] == 3 and config["model"]["generator"]["width"] == 0.125
    assert config["train"]["schedule"] == {"d_steps": 1, "g_steps": 1, "g_extra_every": 3}
    assert torch.load(run / "checkpoints" / "last.pt", weights_only=True)["step"] == 3
    assert (run / "samples" / "step_000003.gif").read_bytes()[:6] == b"GIF89a"
    assert (run / "samples" / "step_000003.mp4").read_bytes()[4:8] == b"ftyp"
    assert list((run / "tensorboard").glob("events.out.tfevents.*"))
    assert not list(run.rglob(".*.tmp*")), "temporary files left behind"


def test_run_dir_defaults_to_runs_slash_stem(tiny_run, tmp_path):
    path = tiny_run(steps=1, name="mini.yaml")
    result = vpkit("run", path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "runs" / "mini" / "checkpoints" / "last.pt").exists()


def test_set_overrides_reach_the_run(tiny_run, tmp_path):
    result = CliRunner().invoke(
        cli,
        ["run", str(tiny_run(steps=3)), "-o", str(tmp_path / "r"), "--set", "train.steps=2", "--set", "train.lr=1e-4"],
    )
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((tmp_path / "r" / "config.yaml").read_text())
    assert config["train"]["steps"] == 2 and config["train"]["lr"] == 1e-4


def test_validate_ok_and_error(tiny_run):
    path = tiny_run()
    ok = vpkit("validate", path)
    assert ok.returncode == 0 and "ok" in ok.stdout
    bad = vpkit("validate", path, "--set", "train.batch_size=0")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "Error: --set train.batch_size: must be > 0, got 0"


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            lambda t: t.replace("name: videogan, width", "name: videogna, width", 1),
            "unknown generator 'videogna' (did you mean 'videogan'?)",
        ),
        (
            lambda t: t.replace("batch_size: 4", "batch_sise: 4"),
            "unknown key 'batch_sise' (did you mean 'batch_size'?)",
        ),
        (lambda t: t.replace("steps: 3", "steps: three", 1), "train.steps: input should be a valid integer"),
        (lambda t: t.replace("frames: 4", "frames: 5"), "clip: generator 'videogan' cannot make these clips"),
        (lambda t: t + "model: [oops\n", "invalid YAML"),
    ],
)
def test_bad_run_files_exit_2_without_traceback(tiny_run, edit, expected):
    path = tiny_run()
    path.write_text(edit(path.read_text()))
    result = vpkit("run", path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (path.parent / "runs").exists(), "a failed validation must not create the run directory"


def test_missing_run_file(tmp_path):
    result = vpkit("run", tmp_path / "absent.yaml")
    assert result.returncode == 2 and "absent.yaml: no such run file" in result.stderr


def test_unwritable_run_directory(tiny_run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = vpkit("run", tiny_run(), "-o", blocker / "run")
    assert result.returncode == 1
    assert "cannot write the run directory" in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text() == "not a directory"


def test_existing_run_is_not_overwritten_without_resume(tiny_run, tmp_path):
    path, run = tiny_run(steps=1), tmp_path / "run"
    assert vpkit("run", path, "-o", run).returncode == 0
    before = (run / "checkpoints" / "last.pt").read_bytes()
    again = vpkit("run", path, "-o", run)
    assert again.returncode == 2 and "pass --resume" in again.stderr
    assert (run / "checkpoints" / "last.pt").read_bytes() == before
    assert vpkit("run", path, "-o", tmp_path / "fresh", "--resume").returncode == 2


def test_resume_names_each_setting_that_differs_with_both_values(tiny_run, tmp_path):
    path, run = tiny_run(steps=1), tmp_path / "run"
    assert vpkit("run", path, "-o", run).returncode == 0
    result = vpkit("run", path, "-o", run, "--resume", "--set", "model.generator.width=0.25", "--set", "clip.frames=8")
    assert result.returncode == 2, result.stderr
    assert "(clip.frames: 4 there, 8 now; model.generator.width: 0.125 there, 0.25 now)" in result.stderr


def test_resume_past_the_steps_asked_for_says_so(tiny_run, tmp_path):
    path, run = tiny_run(steps=3), tmp_path / "run"
    assert vpkit("run", path, "-o", run).returncode == 0
    result = vpkit("run", path, "-o", run, "--resume", "--set", "train.steps=2")
    assert result.returncode == 2
    assert "already at step 3, past train.steps=2; ask for more steps" in result.stderr
    assert "finished" not in result.stderr
    assert torch.load(run / "checkpoints" / "last.pt", weights_only=True)["step"] == 3


@pytest.mark.skipif(os.name != "posix", reason="needs SIGINT")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm from a scheduler"])
def test_ctrl_c_saves_a_checkpoint_and_resume_finishes(tiny_run, tmp_path, stop):
    path, run = tiny_run(steps=100000), tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "vpkit", "run", str(path), "-o", str(run)], stderr=subprocess.PIPE, text=True
    )
    log = run / "log.jsonl"
    deadline = time.time() + 60
    while not (log.exists() and log.read_text().count("\n") >= 2) and time.time() < deadline:
        time.sleep(0.2)
    proc.send_signal(stop)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "continue with --resume" in stderr and "Traceback" not in stderr
    step = torch.load(run / "checkpoints" / "last.pt", weights_only=True)["step"]
    assert step >= 2
    assert json.loads((run / "status.json").read_text())["state"] == "interrupted"
    resumed = vpkit("run", path, "-o", run, "--resume", "--set", f"train.steps={step + 2}")
    assert resumed.returncode == 0, resumed.stderr
    assert torch.load(run / "checkpoints" / "last.pt", weights_only=True)["step"] == step + 2


def test_resume_refuses_other_clips_but_not_a_longer_run(tiny_run, tmp_path):
    path, run = tiny_run(steps=1), tmp_path / "run"
    assert vpkit("run", path, "-o", run).returncode == 0
    other = vpkit("run", path, "-o", run, "--resume", "--set", "source.seed=9")
    assert other.returncode == 2 and "source.seed: 0 there, 9 now" in other.stderr
    longer = vpkit("run", path, "-o", run, "--resume", "--set", "train.steps=2", "--set", "train.lr=1e-4")
    assert longer.returncode == 0, longer.stderr
    assert "changed since the checkpoint: train.lr 0.0002 -> 0.0001; train.steps 1 -> 2" in longer.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on a machine without CUDA")
def test_asking_for_cuda_without_it_is_a_short_error(tiny_run, tmp_path):
    result = vpkit("run", tiny_run(), "-o", tmp_path / "run", "--set", "train.device=cuda")
    assert result.returncode == 1
    assert "has no usable CUDA; use auto or cpu" in result.stderr and "Traceback" not in result.stderr


def _commands(group, path=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


@pytest.mark.parametrize("command", list(_commands(cli)), ids=" ".join)
def test_every_command_shows_examples_in_its_help(command):
    out = CliRunner().invoke(cli, [*command, "--help"], terminal_width=100).output
    examples = out.split("Examples:", 1)[-1]
    assert "Examples:" in out and f"vpkit {' '.join(command)}" in examples, out
