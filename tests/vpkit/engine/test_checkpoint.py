import pytest
import torch

from vpkit import VpkitError
from vpkit.atomic import atomic_path
from vpkit.engine.checkpoint import load_checkpoint, save_checkpoint


def state(step):
    return {"generator": {"w": torch.full((2,), float(step))}, "discriminator": {}, "step": step}


def test_round_trip(tmp_path):
    path = save_checkpoint(tmp_path / "ck" / "last.pt", state(3))
    loaded = load_checkpoint(path)
    assert loaded["step"] == 3 and torch.equal(loaded["generator"]["w"], torch.full((2,), 3.0))


def test_failed_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    path = save_checkpoint(tmp_path / "last.pt", state(1))

    def crash(obj, f, *args, **kwargs):
        with open(f, "wb") as handle:
            handle.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(OSError):
        save_checkpoint(path, state(2))
    monkeypatch.undo()
    assert load_checkpoint(path)["step"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["last.pt"]


def test_interrupted_write_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(tmp_path / "x.json") as tmp:
            tmp.write_text("{")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_unsafe_or_foreign_files_are_refused(tmp_path):
    import argparse

    torch.save({"generator": argparse.Namespace(), "discriminator": {}, "step": 1}, tmp_path / "pickle.pt")
    with pytest.raises(VpkitError, match="not a readable vpkit checkpoint"):
        load_checkpoint(tmp_path / "pickle.pt")  # weights_only refuses arbitrary objects
    torch.save({"weights": torch.zeros(1)}, tmp_path / "other.pt")
    with pytest.raises(VpkitError, match="missing generator"):
        load_checkpoint(tmp_path / "other.pt")
    (tmp_path / "junk.pt").write_bytes(b"junk")
    with pytest.raises(VpkitError, match="not a readable"):
        load_checkpoint(tmp_path / "junk.pt")
    with pytest.raises(VpkitError, match="no checkpoint there"):
        load_checkpoint(tmp_path / "absent.pt")
