"""What a logger remembers across a resume (the id of its MLflow or W&B run), in a small JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_state(path: Path) -> dict[str, Any]:
    """The saved state, or nothing when the file is missing or damaged (a new run is started then)."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}
