"""Whether a run is running, finished, interrupted or failed: ``status.json`` in its run directory.

The trainer writes it when training starts, at every checkpoint and when it stops, so
``vpkit runs`` can tell a run's state and step without loading a checkpoint. A run whose
file still says ``running`` but whose process is gone (killed, machine lost) reads as
``interrupted``; a run directory from before this file existed reads from its logs.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vpkit.atomic import write_json
from vpkit.engine.run_layout import RunLayout

RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"


class RunState:
    def __init__(self, run_dir: Path, steps: int):
        self.path = RunLayout(run_dir).status
        self.steps = steps
        self.state: dict[str, Any] = {}

    def write(self, state: str, step: int, **extra: Any) -> None:
        self.state = {
            "state": state,
            "step": step,
            "steps": self.steps,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "updated": now(),
            **extra,
        }
        write_json(self.path, self.state)

    def stopped(self, step: int, ending: str, error: BaseException | None) -> None:
        """Record how training ended (see :func:`outcome`), with the reason when it failed."""
        if ending == FAILED:
            self.write(FAILED, step, error=str(getattr(error, "message", error)) or type(error).__name__)
        else:
            self.write(ending, step)


def outcome(error: BaseException | None) -> str:
    """How training ended: finished, interrupted (Ctrl-C) or failed."""
    if error is None:
        return FINISHED
    if isinstance(error, KeyboardInterrupt) or getattr(error, "exit_code", None) == 130:
        return INTERRUPTED
    return FAILED


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read(run_dir: Path) -> dict[str, Any] | None:
    """The run's recorded state, with ``running`` corrected to ``interrupted`` when its process is
    gone; None when there is no readable record."""
    try:
        state = json.loads(RunLayout(run_dir).status.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict):
        return None
    if state.get("state") == RUNNING and state.get("host") == socket.gethostname() and not alive(state.get("pid")):
        state = {**state, "state": INTERRUPTED, "note": "its process is gone"}
    return state


def alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True
