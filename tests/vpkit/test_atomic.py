import os

import pytest

from vpkit.atomic import atomic_path, write_json, write_text


def test_write_text_replaces_the_file_in_one_step(tmp_path):
    path = tmp_path / "sub" / "config.yaml"
    write_text(path, "a: 1\n")
    write_text(path, "a: 2\n")
    assert path.read_text() == "a: 2\n"
    assert [p.name for p in path.parent.iterdir()] == ["config.yaml"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "metrics.json"
    write_json(path, {"fvd": 1.0})
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("half a fi")
            raise RuntimeError("disk full")
    assert path.read_text().startswith("{") and '"fvd": 1.0' in path.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_files_get_the_mode_a_plain_open_gives(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_text(tmp_path / "atomic.txt", "x")
        with open(tmp_path / "plain.txt", "w") as plain:
            plain.write("x")
    finally:
        os.umask(previous)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in tmp_path.iterdir()}
    assert modes == {"atomic.txt": oct(0o666 & ~umask), "plain.txt": oct(0o666 & ~umask)}
