"""Nothing already written is lost: refused resumes leave the run directory as it was, a failure
after a training step keeps that step's checkpoint, a full disk keeps the previous one."""

import json
import os
import sys

import pytest
from click.testing import CliRunner
from vpkit_videogan.generator import VideoGANGenerator

from vpkit import Metric, hookimpl
from vpkit.commands.cli import cli
from vpkit.config.runfile import load_run
from vpkit.engine.checkpoint import load_checkpoint, save_checkpoint
from vpkit.engine.generate import load_generator
from vpkit.engine.train.trainer import train_run
from vpkit.errors import VpkitError


def contents(run_dir):
    """Every file of a run directory with its bytes: what 'left as it was' compares."""
    return {str(p.relative_to(run_dir)): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.is_file()}


@pytest.fixture
def trained(tiny_run, tmp_path):
    """A finished two-step run, trained under umask 027."""
    path, run_dir = tiny_run(steps=2), tmp_path / "run"
    umask = os.umask(0o027)
    try:
        train_run(load_run(path), run_dir)
    finally:
        os.umask(umask)
    return path, run_dir


def test_files_are_written_with_the_mode_open_gives(trained):
    _, run_dir = trained
    for name in (
        "config.yaml",
        "checkpoints/last.pt",
        "samples/step_000002.gif",
        "samples/step_000002.mp4",
        "log.jsonl",
    ):
        assert oct((run_dir / name).stat().st_mode & 0o777) == oct(0o640), name


def test_a_refused_resume_leaves_the_run_directory_as_it_was(trained):
    path, run_dir = trained
    before = contents(run_dir)
    for overrides, message in [
        (["model.generator.width=0.5"], "model.generator.width: 0.125 there, 0.5 now"),
        (["source.seed=9"], r"source\.seed: \d+ there, 9 now"),
    ]:
        with pytest.raises(VpkitError, match=message):
            train_run(load_run(path, overrides), run_dir, resume=True)
        assert contents(run_dir) == before, f"--set {overrides} changed the run directory"
    assert load_generator(run_dir, device="cpu").step == 2  # config.yaml still describes the weights beside it


def test_a_resume_from_a_checkpoint_that_does_not_fit_is_refused_before_any_change(trained):
    path, run_dir = trained
    last = run_dir / "checkpoints" / "last.pt"
    state = load_checkpoint(last)
    other_generator = VideoGANGenerator(VideoGANGenerator.Config(width=0.25), load_run(path).clip).state_dict()
    for checkpoint, message in [
        ({k: v for k, v in state.items() if k != "optimizers"}, "not a vpkit checkpoint: it has no 'optimizers'"),
        ({**state, "step": "four"}, "not a vpkit checkpoint: 'step' should be a step count"),
        (
            {**state, "generator": other_generator},
            r"the checkpoint does not fit this run \(Error\(s\) in loading state_dict",
        ),
    ]:
        save_checkpoint(last, checkpoint)
        before = contents(run_dir)
        with pytest.raises(VpkitError, match=message):
            train_run(load_run(path, ["train.steps=3"]), run_dir, resume=True)
        assert contents(run_dir) == before


def test_a_torn_last_log_line_does_not_stop_a_resume(trained):
    path, run_dir = trained
    with open(run_dir / "log.jsonl", "a") as log:
        log.write('{"step": 3, "loss_d": 0.6')  # a kill or a full disk in the middle of an append
    before = contents(run_dir)
    with pytest.raises(VpkitError, match="model.generator.width: 0.125 there, 0.5 now"):
        train_run(load_run(path, ["model.generator.width=0.5"]), run_dir, resume=True)
    assert contents(run_dir) == before  # in particular no new TensorBoard event file
    train_run(load_run(path, ["train.steps=3"]), run_dir, resume=True)
    assert [json.loads(line)["step"] for line in (run_dir / "log.jsonl").read_text().splitlines()] == [1, 2, 3]


def test_failing_samples_keep_the_checkpoint_of_their_step(tiny_run, tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "samples").write_text("a file where the samples folder should be")
    run = load_run(tiny_run(steps=4), ["train.sample_every=2", "train.checkpoint_every=4"])
    with pytest.raises(VpkitError, match="samples/step_000002.gif: cannot write the video"):
        train_run(run, run_dir)
    assert load_checkpoint(run_dir / "checkpoints" / "last.pt")["step"] == 2


class FailingMetric(Metric):
    """A metric whose result cannot be computed, as with damaged statistics."""

    name = "failing"

    def reset(self):
        pass

    def update(self, real, generated):
        pass

    def compute(self):
        raise ValueError("the statistics cannot be computed")


class FailingMetricPlugin:
    @hookimpl
    def register_metrics(self, register):
        register(FailingMetric)


def test_a_failing_evaluation_keeps_the_checkpoint_of_its_step(tiny_run, tmp_path, register_plugin):
    register_plugin(FailingMetricPlugin(), "failing-metric")
    run = load_run(tiny_run(steps=4), ["metrics=[failing]", "evaluation.every=3", "evaluation.videos=2"])
    with pytest.raises(VpkitError, match="metric failing: the statistics cannot be computed"):
        train_run(run, tmp_path / "run")
    assert load_checkpoint(tmp_path / "run" / "checkpoints" / "last.pt")["step"] == 3


def test_a_full_disk_during_a_run_keeps_the_previous_checkpoint(trained, full_disk):
    path, run_dir = trained
    last = run_dir / "checkpoints" / "last.pt"
    with full_disk(last.stat().st_size // 2):  # torch reports it as "RuntimeError: [enforce fail at ...]"
        result = CliRunner().invoke(cli, ["run", str(path), "-o", str(run_dir), "--resume", "--set", "train.steps=4"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "last.pt: cannot write the checkpoint" in result.output and "is the disk full?" in result.output
    assert load_checkpoint(last)["step"] == 2
    assert not list(run_dir.rglob(".*.tmp*"))


@pytest.mark.parametrize("free_kb", [0, 4, 64])  # the disk fills at config.yaml, at log.jsonl, at last.pt
def test_a_resume_on_a_nearly_full_disk_ends_in_one_line_and_loses_nothing(trained, nearly_full_disk, free_kb):
    """Every write of a run meets a full disk the same way: one line naming the file, no traceback
    (status.json, written as the run stops, fails too and does not hide why it stopped)."""
    path, run_dir = trained
    result = nearly_full_disk(
        run_dir,
        free_kb,
        sys.executable,
        "-m",
        "vpkit",
        "run",
        path,
        "-o",
        run_dir,
        "--resume",
        "--set",
        "train.steps=4",
    )
    assert result.returncode == 1, result.stderr
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"Error: {run_dir}/") and "cannot write" in error, error
    assert "No space left on device" in error or "is the disk full?" in error, error
    assert "Traceback" not in result.stderr
    assert load_checkpoint(run_dir / "checkpoints" / "last.pt")["step"] == 2
    assert not list(run_dir.rglob(".*.tmp*"))


def test_a_checkpoint_from_before_a_model_option_existed_resumes_at_its_default(trained):
    """Options added to a component later (e.g. upsample, mask_bias) default to the old behaviour."""
    path, run_dir = trained
    last = run_dir / "checkpoints" / "last.pt"
    state = load_checkpoint(last)
    for block, option in (("generator", "upsample"), ("discriminator", "norm")):
        del state["config"]["model"][block][option]
    save_checkpoint(last, state)
    with pytest.raises(VpkitError, match='model.generator.upsample: "transposed" there, "resize" now'):
        train_run(load_run(path, ["train.steps=3", "model.generator.upsample=resize"]), run_dir, resume=True)
    train_run(load_run(path, ["train.steps=3"]), run_dir, resume=True)
    assert load_checkpoint(last)["step"] == 3
