"""Where vpkit run writes: numbered directories for a second unnamed run, --force moving the
old run aside, --resume continuing the latest; end to end as the README's commands go."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from vpkit.commands.run_dirs import CHECKPOINT, choose
from vpkit.errors import ConfigError


def vpkit(*args, cwd):
    return subprocess.run([sys.executable, "-m", "vpkit", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def fake_run(path: Path, marker: str = "") -> Path:
    """A directory that holds a run, as far as choosing directories goes: a checkpoint file."""
    (path / CHECKPOINT).parent.mkdir(parents=True)
    (path / CHECKPOINT).write_text(marker)
    return path


def test_the_readme_sequence_run_then_run_with_more_steps(tiny_run, tmp_path):
    """`vpkit run X` after a finished `vpkit run X` makes a second run instead of failing."""
    path = tiny_run(steps=1)
    first = vpkit("run", path, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = vpkit("run", path, "--set", "train.steps=2", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "note: runs/tiny holds a run; this one goes to runs/tiny-2" in second.stderr
    assert torch.load(tmp_path / "runs" / "tiny-2" / CHECKPOINT, weights_only=True)["step"] == 2
    # --resume continues the latest of them
    resumed = vpkit("run", path, "--resume", "--set", "train.steps=3", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming runs/tiny-2" in resumed.stderr
    assert torch.load(tmp_path / "runs" / "tiny-2" / CHECKPOINT, weights_only=True)["step"] == 3
    assert torch.load(tmp_path / "runs" / "tiny" / CHECKPOINT, weights_only=True)["step"] == 1
    # --force starts runs/tiny over, keeping the old run beside it
    before = (tmp_path / "runs" / "tiny" / CHECKPOINT).read_bytes()
    forced = vpkit("run", path, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "moved the run that was in runs/tiny to runs/tiny.old" in forced.stderr
    assert (tmp_path / "runs" / "tiny.old" / CHECKPOINT).read_bytes() == before


def test_a_named_directory_that_holds_a_run_is_an_error(tmp_path):
    named = fake_run(tmp_path / "mine")
    with pytest.raises(
        ConfigError, match="mine already holds a run; pass --resume to continue it, --force to start over"
    ):
        choose(tmp_path / "runs" / "x", named, resume=False, force=False)
    assert choose(tmp_path / "runs" / "x", named, resume=True, force=False).path == named
    assert choose(tmp_path / "runs" / "x", tmp_path / "empty", resume=False, force=False).path == tmp_path / "empty"


def test_force_moves_aside_to_the_first_free_name(tmp_path):
    named = fake_run(tmp_path / "mine", "third")
    fake_run(tmp_path / "mine.old", "first")
    fake_run(tmp_path / "mine.old-2", "second")
    chosen = choose(tmp_path / "default", named, resume=False, force=True)
    assert chosen.path == named and not named.exists()
    assert (tmp_path / "mine.old-3" / CHECKPOINT).read_text() == "third"
    assert (tmp_path / "mine.old" / CHECKPOINT).read_text() == "first"
    assert "moved the run that was in" in chosen.note


def test_numbers_follow_the_order_of_runs(tmp_path):
    default = fake_run(tmp_path / "runs" / "q")
    fake_run(tmp_path / "runs" / "q-2")
    fake_run(tmp_path / "runs" / "q-10")
    (tmp_path / "runs" / "q-3").mkdir()  # started, no checkpoint yet: still takes its number
    (tmp_path / "runs" / "quick-4").mkdir()  # another run file's
    assert choose(default, None, resume=False, force=False).path == tmp_path / "runs" / "q-11"
    assert choose(default, None, resume=True, force=False).path == tmp_path / "runs" / "q-10"


def test_resume_and_force_together_or_nothing_to_resume(tmp_path):
    with pytest.raises(ConfigError, match="pass one of them"):
        choose(tmp_path / "runs" / "q", None, resume=True, force=True)
    with pytest.raises(ConfigError, match="no run in .* to continue"):
        choose(tmp_path / "runs" / "q", None, resume=True, force=False)
