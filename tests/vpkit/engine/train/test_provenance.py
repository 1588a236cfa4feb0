"""provenance.json: what a run was trained with and where, one entry per session."""

import json
import re
import socket
import sys

import torch

from vpkit import __version__
from vpkit.config.runfile import load_run
from vpkit.engine.train.trainer import train_run


def test_a_run_records_its_software_machine_and_command(tiny_run, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/somewhere/bin/vpkit", "run", "tiny.yaml", "--set", "train.steps=2"])
    path = tiny_run(steps=2)
    run_dir = tmp_path / "run"
    train_run(load_run(path), run_dir)
    [entry] = json.loads((run_dir / "provenance.json").read_text())["sessions"]
    assert entry["vpkit"] == __version__ and entry["torch"] == torch.__version__ and entry["cuda"] == torch.version.cuda
    assert entry["host"] == socket.gethostname() and entry["device"] == "cpu" and entry["world_size"] == 1
    assert entry["command"] == "vpkit run tiny.yaml --set train.steps=2" and entry["from_step"] == 0
    # the suite runs from the repository's checkout: its commit is recorded
    assert re.fullmatch(r"[0-9a-f]{40}", entry["git"]["commit"]) and isinstance(entry["git"]["dirty"], bool)

    train_run(load_run(path, ["train.steps=3"]), run_dir, resume=True)
    sessions = json.loads((run_dir / "provenance.json").read_text())["sessions"]
    assert [s["from_step"] for s in sessions] == [0, 2]
