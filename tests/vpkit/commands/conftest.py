"""Tiny trained runs (3 steps, 4 frames of 16 x 16) shared by the command tests: one conditional, one not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.run_files import write_run_file

from vpkit.commands.cli import cli


def train(root: Path, generator: str) -> Path:
    path = write_run_file(
        root / f"{generator}.yaml",
        root / "cache",
        seed=5,
        source={"train_clips": 16, "val_clips": 6},
        model={"generator": {"name": generator}},
    )
    run_dir = root / generator
    result = CliRunner().invoke(cli, ["run", str(path), "-o", str(run_dir)])
    assert result.exit_code == 0, result.output
    return run_dir


@pytest.fixture(scope="session")
def future_run(tmp_path_factory) -> Path:
    """A run directory of the conditional ``videogan_future`` generator."""
    return train(tmp_path_factory.mktemp("future"), "videogan_future")


@pytest.fixture(scope="session")
def plain_run(tmp_path_factory) -> Path:
    """A run directory of the unconditional ``videogan`` generator."""
    return train(tmp_path_factory.mktemp("plain"), "videogan")
