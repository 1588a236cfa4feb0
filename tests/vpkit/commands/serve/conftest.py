"""A real ``vpkit serve`` process on 127.0.0.1 (a free port), serving the tiny conditional and
unconditional runs, shared by the API and browser tests; and photos to upload."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text()


@pytest.fixture(scope="session")
def server(future_run, plain_run, tmp_path_factory):
    """``vpkit serve FUTURE PLAIN --port 0`` in its own process, stopped after the session."""
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "vpkit", "serve", str(future_run), str(plain_run), "--port", "0", "--device", "cpu"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)/", log.read_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"vpkit serve did not start:\n{log.read_text()}")
        time.sleep(0.2)
    yield Server(found.group(1), log, process)
    process.terminate()
    process.wait(30)


@pytest.fixture
def photo(tmp_path):
    """Write a random RGB photo of ``width`` x ``height`` pixels (seeded) and return its path."""

    def make(name: str = "photo.png", width: int = 24, height: int = 20, seed: int = 0) -> Path:
        pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
        path = tmp_path / name
        Image.fromarray(pixels).save(path)
        return path

    return make
