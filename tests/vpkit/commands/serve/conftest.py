"""A real ``vpkit serve`` process on 127.0.0.1 (a free port), serving the tiny conditional and
unconditional runs, shared by the API and browser tests; and photos to upload."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fixtures.network import vpkit_serving
from PIL import Image


@pytest.fixture(scope="session")
def server(future_run, plain_run, tmp_path_factory):
    """``vpkit serve FUTURE PLAIN --port 0`` in its own process, stopped after the session."""
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with vpkit_serving([str(future_run), str(plain_run)], log) as serving:
        yield serving


@pytest.fixture
def photo(tmp_path):
    """Write a random RGB photo of ``width`` x ``height`` pixels (seeded) and return its path."""

    def make(name: str = "photo.png", width: int = 24, height: int = 20, seed: int = 0) -> Path:
        pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
        path = tmp_path / name
        Image.fromarray(pixels).save(path)
        return path

    return make
