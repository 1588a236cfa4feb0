"""Where and with what a run was trained: ``provenance.json`` beside ``config.yaml``.

One entry per session (a resume on another machine, with another vpkit or torch, adds one):
the vpkit version and, when vpkit runs from a git checkout, its commit; Python, torch and
CUDA versions; the host, the device actually used (the config may say ``auto``), the world
size, the working directory and the command line.
"""

from __future__ import annotations

import json
import platform
import shlex
import socket
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vpkit import __version__
from vpkit.atomic import write_json
from vpkit.engine.run_layout import RunLayout


def git_commit(where: Path) -> dict[str, Any] | None:
    """The commit of the git checkout holding ``where``, and whether it has changes; None outside one."""

    def git(*args: str) -> str | None:
        try:
            result = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if not commit:
        return None
    return {"commit": commit, "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def session(device: Any, step: int, world_size: int = 1) -> dict[str, Any]:
    """This process: software, machine, device and command line."""
    import torch

    return {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "from_step": step,
        "vpkit": __version__,
        "git": git_commit(Path(__file__).resolve().parent),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "device": str(device),
        "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or None,
        "world_size": world_size,
        "cwd": str(Path.cwd()),
        "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    }


def record(run_dir: Path, device: Any, step: int, world_size: int = 1) -> dict[str, Any]:
    """Add this session to the run's ``provenance.json``; a resumed run keeps the earlier ones."""
    path = RunLayout(run_dir).provenance
    try:
        sessions = json.loads(path.read_text(encoding="utf-8")).get("sessions", []) if step else []
    except (OSError, ValueError, AttributeError):
        sessions = []  # damaged or foreign: start the record again rather than fail the run
    entry = session(device, step, world_size)
    write_json(path, {"sessions": [*sessions, entry]})
    return entry
