"""The evaluation cache under ``<cache>/stats``: statistics of real clip sets (``.npz``) and
baseline scores (``.json``), each file named by a hash of everything that determines it.

The cache only saves time, so it never costs an evaluation: a file that cannot be read
(damaged, truncated, written by another version) counts as missing and is rebuilt, and a
cache that cannot be written costs a warning and a recomputation next time.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from vpkit.atomic import WriteError, atomic_path, write_failure, write_json
from vpkit.errors import reason_of
from vpkit.progress import note

#: What reading a damaged file raises: numpy's zip and header errors, truncated data, bad JSON.
DAMAGED = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


class StatsCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, prefix: str, key: dict[str, Any], suffix: str) -> Path:
        """``<root>/<prefix>-<16 hex digits of the key's hash><suffix>``."""
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
        return self.root / f"{prefix}-{digest}{suffix}"

    def read_arrays(self, path: Path) -> dict[str, np.ndarray] | None:
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                return {name: data[name] for name in data.files}
        except DAMAGED as exc:
            return self.damaged(path, exc)

    def write_arrays(self, path: Path, arrays: dict[str, np.ndarray]) -> None:
        try:
            with atomic_path(path) as tmp:
                np.savez(tmp, **arrays)
        except OSError as exc:
            self._unwritable(path, exc)

    def read_json(self, path: Path) -> Any:
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (*DAMAGED, UnicodeDecodeError) as exc:
            return self.damaged(path, exc)

    def write_json(self, path: Path, obj: Any) -> None:
        try:
            write_json(path, obj)
        except WriteError as exc:
            self._unwritable(path, exc)

    @staticmethod
    def damaged(path: Path, exc: BaseException | None = None) -> None:
        """Note a file that is there but unusable; the caller recomputes and overwrites it."""
        reason = "" if exc is None else f" ({f'no array {exc}' if isinstance(exc, KeyError) else reason_of(exc)})"
        note(f"warning: {path}: damaged statistics cache{reason}; computing it again")
        return None

    @staticmethod
    def _unwritable(path: Path, exc: OSError | WriteError) -> None:
        note(
            f"warning: cannot write the statistics cache {path} ({write_failure(exc)}); "
            "the numbers stand, but the next evaluation computes them again"
        )
