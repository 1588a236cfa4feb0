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


@pytest.fixture(scope="session")
def i3d_weights(tmp_path_factory) -> Path:
    """A real I3D weights file in the i3d_pretrained_400.pt layout, written from the network's
    own (seeded, randomly initialised) state dict, without the BN counters the conversion lacks."""
    import torch

    from vpkit_metrics.i3d import InceptionI3d

    torch.manual_seed(0)
    state = {k: v for k, v in InceptionI3d().state_dict().items() if not k.endswith("num_batches_tracked")}
    path = tmp_path_factory.mktemp("i3d") / "i3d_pretrained_400.pt"
    torch.save(state, path)
    return path


@pytest.fixture
def serve_files():
    """Serve a folder over HTTP on 127.0.0.1 for one test; yields a function returning the base URL."""
    import functools
    import http.server
    import threading

    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass
