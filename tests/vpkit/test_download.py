import hashlib

import pytest

from vpkit import VpkitError, cached_download, default_cache_dir, sha256_of


def _file(tmp_path, data=b"weights" * 1000):
    folder = tmp_path / "served"
    folder.mkdir()
    (folder / "w.pt").write_bytes(data)
    return folder, hashlib.sha256(data).hexdigest()


def test_downloads_checks_and_caches(tmp_path, serve_files):
    folder, sha = _file(tmp_path)
    url = serve_files(folder) + "/w.pt"
    dest = tmp_path / "cache" / "w.pt"
    assert cached_download([url], sha, dest, "test weights") == dest
    assert sha256_of(dest) == sha
    (folder / "w.pt").unlink()  # the second call must not need the server
    assert cached_download([url], sha, dest, "test weights") == dest


def test_falls_back_to_the_next_mirror(tmp_path, serve_files):
    folder, sha = _file(tmp_path)
    base = serve_files(folder)
    dest = tmp_path / "cache" / "w.pt"
    cached_download([base + "/missing.pt", base + "/w.pt"], sha, dest, "test weights")
    assert dest.is_file()


def test_wrong_hash_leaves_nothing_in_the_cache(tmp_path, serve_files):
    folder, _ = _file(tmp_path)
    url = serve_files(folder) + "/w.pt"
    dest = tmp_path / "cache" / "w.pt"
    with pytest.raises(VpkitError, match=r"cannot download test weights:\n  .*w.pt: downloaded file has SHA-256 [0-9a-f]{64}, expected 0{64}"):
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
