"""``--checkpoint`` means the same in every command that loads a model: ``last``, ``best`` or a path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from vpkit.commands.cli import cli
from vpkit.engine.run_layout import CHECKPOINT_HELP, RunLayout

#: The commands that load a model, each with the arguments it needs besides --checkpoint.
COMMANDS = {
    "predict": ["{run}", "{image}", "-o", "{out}.gif"],
    "sample": ["{run}", "-n", "2", "-o", "{out}.gif"],
    "evaluate": ["{run}", "--metrics", "psnr", "-n", "2"],
    "serve": ["{run}", "--port", "0"],
}


def invoke(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_one_option_with_one_help_in_every_command():
    for name in COMMANDS:
        (option,) = [p for p in cli.commands[name].params if p.name == "checkpoint"]
        assert (option.help, option.default, option.metavar) == (CHECKPOINT_HELP, "last", "last|best|PATH"), name


def test_the_resolver(tmp_path):
    layout = RunLayout(tmp_path / "run")
    assert layout.checkpoint() == layout.checkpoint("last") == tmp_path / "run" / "checkpoints" / "last.pt"
    assert layout.checkpoint("best") == tmp_path / "run" / "checkpoints" / "best.pt"
    assert layout.checkpoint(tmp_path / "elsewhere.pt") == tmp_path / "elsewhere.pt"
    assert layout.checkpoint("elsewhere.pt") == Path("elsewhere.pt")  # relative to the working directory


@pytest.fixture
def run_copy(future_run, tmp_path) -> Path:
    """A copy of the conditional run whose best.pt is not a checkpoint (so that loading it fails
    naming the file each command chose)."""
    run_dir = shutil.copytree(future_run, tmp_path / "run")
    RunLayout(run_dir).best_checkpoint.write_text("not a checkpoint\n")
    return run_dir


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("choice", ["best", "path"])
def test_every_command_loads_the_checkpoint_it_names(run_copy, tmp_path, command, choice):
    chosen = RunLayout(run_copy).best_checkpoint if choice == "best" else tmp_path / "mine.pt"
    if choice == "path":
        chosen.write_text("not a checkpoint either\n")
    photo = tmp_path / "photo.png"
    Image.fromarray(np.zeros((16, 16, 3), np.uint8)).save(photo)
    names = {"run": run_copy, "image": photo, "out": tmp_path / "out"}
    args = [arg.format(**names) for arg in COMMANDS[command]]
    result = invoke(command, *args, "--checkpoint", "best" if choice == "best" else chosen, "--device", "cpu")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.output == f"Error: {chosen}: not a readable vpkit checkpoint: not a file torch.save wrote\n"


def test_best_is_the_run_s_best_checkpoint(future_run, tmp_path):
    """A working best.pt (the last one, saved as step 99) is what evaluate scores and records."""
    run_dir = shutil.copytree(future_run, tmp_path / "run")
    layout = RunLayout(run_dir)
    state = torch.load(layout.last_checkpoint, weights_only=True)
    torch.save({**state, "step": 99}, layout.best_checkpoint)
    result = invoke("evaluate", run_dir, "--metrics", "psnr", "-n", 2, "--checkpoint", "best", "--device", "cpu")
    assert result.exit_code == 0, result.output
    document = json.loads(layout.evaluation.read_text())
    assert (document["checkpoint"], document["step"]) == (str(layout.best_checkpoint), 99)
