"""Shared fixtures: tiny run files and throwaway plugins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

TINY_RUN = """\
# vpkit run tiny.yaml
seed: 3
clip:
  frames: 4
  size: 16
source:
  name: synthetic
  train_clips: 24
  val_clips: 4
  clips_per_shard: 8
model:
  generator: {{name: videogan, width: 0.125}}
  discriminator: {{name: videogan, width: 0.125}}
train:
  steps: {steps}
  batch_size: 4
  device: cpu
  log_every: 1
  sample_every: {steps}
  checkpoint_every: {steps}
  samples: 2
output:
  cache_dir: {cache}
"""


@pytest.fixture
def tiny_run(tmp_path: Path):
    """Write a tiny run file (a few seconds of CPU training) and return its path."""

    def make(steps: int = 3, name: str = "tiny.yaml") -> Path:
        path = tmp_path / name
        path.write_text(TINY_RUN.format(steps=steps, cache=tmp_path / "cache"))
        return path

    return make


@pytest.fixture
def write_yaml(tmp_path: Path):
    def write(text: str, name: str = "run.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


# The docs (Writing plugins) show this fixture from here, between the snippet markers.
# --8<-- [start:register_plugin]
@pytest.fixture
def register_plugin():
    """Register a throwaway plugin object for one test and unregister it after."""
    from vpkit import plugins

    names = []

    def register(obj, name: str):
        plugins.load_plugins()
        plugins.pm.register(obj, name=name)
        names.append(name)
        return obj

    yield register
    for name in names:
        plugins.pm.unregister(name=name)
# --8<-- [end:register_plugin]
