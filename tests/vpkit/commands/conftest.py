"""Tiny trained runs (3 steps, 4 frames of 16 x 16) shared by the command tests: one conditional, one not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vpkit.commands.cli import cli

RUN = """\
seed: 5
clip: {{frames: 4, size: 16}}
source: {{name: synthetic, train_clips: 16, val_clips: 6, clips_per_shard: 8}}
model:
  generator: {{name: {generator}, width: 0.125}}
  discriminator: {{name: videogan, width: 0.125}}
train: {{steps: 3, batch_size: 4, device: cpu, log_every: 1, sample_every: 3, checkpoint_every: 3, samples: 2}}
output: {{cache_dir: {cache}}}
"""


def train(root: Path, generator: str) -> Path:
    run_file = root / f"{generator}.yaml"
    run_file.write_text(RUN.format(generator=generator, cache=root / "cache"))
    run_dir = root / generator
    result = CliRunner().invoke(cli, ["run", str(run_file), "-o", str(run_dir)])
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
