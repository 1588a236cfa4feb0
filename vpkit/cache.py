"""Where vpkit caches what it builds or fetches: clip stores and pretrained weights."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "VPKIT_CACHE"


def default_cache_dir() -> Path:
    """``$VPKIT_CACHE``, else ``$XDG_CACHE_HOME/vpkit``, else ``~/.cache/vpkit``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vpkit"
