"""Checkpoints: written atomically, loaded safely (``weights_only=True``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from vpkit.atomic import atomic_path
from vpkit.errors import ConfigError, VpkitError


def save_checkpoint(path: str | os.PathLike, state: dict[str, Any]) -> Path:
    """Write ``state`` to ``path`` so that an interruption never leaves a truncated file."""
    path = Path(path)
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
    return path


def load_checkpoint(path: str | os.PathLike, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no checkpoint there")
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # torch raises many types for corrupt or foreign files
        raise VpkitError(f"{path}: not a readable vpkit checkpoint ({type(exc).__name__})") from None
    if not isinstance(state, dict) or not {"generator", "discriminator", "step"} <= state.keys():
        raise VpkitError(f"{path}: not a vpkit checkpoint (missing generator, discriminator or step)")
    return state
