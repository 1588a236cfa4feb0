"""Write files so that a reader (or a crash) never sees half of one: temporary file, then ``os.replace``.

The temporary file is created the way a plain ``open(path, "w")`` creates a file, with mode
0666 less the umask (``tempfile.mkstemp`` would make it 0600, and the file keeps that mode
after the rename), so run directories and caches stay readable by whoever could read them.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); move it into place on success.

    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_file_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file_beside(path: Path) -> Path:
    """An empty file of a fresh name beside ``path``, created with the mode ``open()`` gives."""
    while True:
        tmp = path.parent / f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def write_failure(exc: BaseException) -> str:
    """Why a write failed, in a few words: the OS's reason, else what a short write usually means.

    A full disk reaches us as ``OSError: No space left on device``, as numpy's ``OSError: 1000
    requested and 12 written`` or as torch's ``RuntimeError: [enforce fail ...] unexpected pos``.
    """
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return "the file could not be written in full; is the disk full?"


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, obj: Any) -> None:
    write_text(path, json.dumps(obj, indent=2, sort_keys=False) + "\n")
