import hashlib

import pytest

from vpkit import VpkitError, cached_download, default_cache_dir, sha256_of

DATA = b"weights" * 1000
SHA = hashlib.sha256(DATA).hexdigest()


def serve_weights(http_server) -> str:
    return http_server.serve("/w.pt", body=DATA, content_type="application/octet-stream")


def test_downloads_checks_and_caches(tmp_path, http_server):
    url = serve_weights(http_server)
    dest = tmp_path / "cache" / "w.pt"
    assert cached_download([url], SHA, dest, "test weights") == dest
    assert sha256_of(dest) == SHA
    del http_server.routes["/w.pt"]  # the second call must not need the server
    assert cached_download([url], SHA, dest, "test weights") == dest
    assert http_server.requests("/w.pt") == 1


def test_falls_back_to_the_next_mirror(tmp_path, http_server):
    url = serve_weights(http_server)
    dest = tmp_path / "cache" / "w.pt"
    cached_download([http_server.url("/missing.pt"), url], SHA, dest, "test weights")
    assert dest.is_file()


def test_wrong_hash_leaves_nothing_in_the_cache(tmp_path, http_server):
    url = serve_weights(http_server)
    dest = tmp_path / "cache" / "w.pt"
    with pytest.raises(
        VpkitError,
        match=r"cannot download test weights:\n  .*w.pt: downloaded file has SHA-256 [0-9a-f]{64}, expected 0{64}",
    ):
        cached_download([url], "0" * 64, dest, "test weights")
    assert not dest.exists()
    assert list(dest.parent.iterdir()) == []


def test_corrupt_cached_file_is_reported(tmp_path):
    dest = tmp_path / "w.pt"
    dest.write_bytes(b"tampered")
    with pytest.raises(VpkitError, match="delete the file to download it again"):
        cached_download(["http://127.0.0.1:9/none"], "0" * 64, dest, "test weights")


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("VPKIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "x" / "vpkit"
