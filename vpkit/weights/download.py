"""Download a file once into a cache, checked against a pinned SHA-256.

The file appears atomically and only after its hash matched, so the cache never holds a
truncated or tampered download. Several URLs may be given (mirrors of the same bytes); each
is tried in turn. Tests point the URL at a server they start on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from vpkit.atomic import atomic_path
from vpkit.errors import VpkitError

CHUNK = 1 << 20


def sha256_of(path: str | os.PathLike) -> str:
    """The SHA-256 of the file at ``path`` as hex digits, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def cached_download(urls: list[str], sha256: str, dest: str | os.PathLike, what: str) -> Path:
    """Return ``dest``, downloading it from the first working URL if it is not there yet.

    ``what`` names the file in messages ("I3D weights"). A cached file is re-checked.
    """
    dest = Path(dest)
    if dest.is_file():
        found = sha256_of(dest)
        if found != sha256:
            raise VpkitError(
                f"{dest}: cached {what} have SHA-256 {found}, expected {sha256}; delete the file to download it again"
            )
        return dest
    failures = []
    for url in urls:
        try:
            _download(url, sha256, dest, what)
            return dest
        except (urllib.error.URLError, OSError, ValueError) as exc:
            failures.append(f"{url}: {getattr(exc, 'reason', None) or exc}")
    raise VpkitError(f"cannot download {what}:\n  " + "\n  ".join(failures) + f"\nput the file at {dest} yourself")


def _download(url: str, sha256: str, dest: Path, what: str) -> None:
    digest = hashlib.sha256()
    with urllib.request.urlopen(url, timeout=60) as response, atomic_path(dest) as tmp:
        total = int(response.headers.get("Content-Length") or 0) or None
        with (
            open(tmp, "wb") as out,
            tqdm(total=total, unit="B", unit_scale=True, desc=what, file=sys.stderr, disable=None) as bar,
        ):
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                digest.update(block)
                bar.update(len(block))
        if digest.hexdigest() != sha256:
            raise ValueError(f"downloaded file has SHA-256 {digest.hexdigest()}, expected {sha256}")
