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

from vpkit.errors import VpkitError


class WriteError(VpkitError):
    """A file that could not be written (a full disk, a read-only folder, a quota): a user error
    that names the file, never a traceback. Every write of a run ends in this one error, so a
    full disk reads the same whichever file met it first; ``then`` says what is kept."""

    def __init__(self, path: str | os.PathLike, exc: BaseException, what: str = "it", then: str = ""):
        self.path = Path(path)
        self.reason = write_failure(exc)
        message = f"{self.path}: cannot write {what} ({self.reason})"
        super().__init__(f"{message}; {then}" if then else message)


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
    if isinstance(exc, WriteError):
        return exc.reason
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return "the file could not be written in full; is the disk full?"


def check_writable(folder: str | os.PathLike, what: str) -> None:
    """Raise a :class:`WriteError` now, before any work, if no file can be created in ``folder``.

    A probe file is made and removed, so the answer is the one a real write gets (read-only mounts,
    permissions, ACLs), for root as for anyone.
    """
    folder = Path(folder)
    try:
        _new_file_beside(folder / "probe").unlink()
    except OSError as exc:
        raise WriteError(folder, exc, f"{what} there") from None


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; a failure is a :class:`WriteError` naming ``path``."""
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise WriteError(path, exc) from None


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8, as :func:`write_bytes` does."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` as indented JSON with a final newline, as :func:`write_bytes` does."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=False) + "\n")
