"""Checkpoints: written atomically, loaded safely (``weights_only=True``), checked before use.

A checkpoint may be damaged, hand-made or foreign, so what is read is checked entry by entry
against what ``vpkit run`` writes, and a problem is named ("'step' should be a step count,
got 'four'") instead of surfacing later as a KeyError deep in the trainer.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import torch

from vpkit.atomic import WriteError, atomic_path
from vpkit.errors import ConfigError, VpkitError, shown

#: What every reader needs: the weights of both networks and the step they were saved at.
TO_LOAD = ("generator", "discriminator", "step")
#: What a resumed run needs besides: optimiser and random-number states, and the run's config.
TO_RESUME = (*TO_LOAD, "optimizers", "rng", "config")


def save_checkpoint(path: str | os.PathLike, state: dict[str, Any]) -> Path:
    """Write ``state`` to ``path`` so that an interruption never leaves a truncated file.

    A failed write (a full disk) is a user error, and the previous checkpoint stays.
    """
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            torch.save(state, tmp)
    except (OSError, RuntimeError) as exc:  # torch reports a short write as a RuntimeError
        raise WriteError(
            path, exc, "the checkpoint", "the previous one is kept, and --resume continues from it"
        ) from None
    return path


def load_checkpoint(
    path: str | os.PathLike, map_location: str | torch.device = "cpu", needs: Iterable[str] = TO_LOAD
) -> dict[str, Any]:
    """The checkpoint at ``path``, with the entries in ``needs`` checked; a user error otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no checkpoint there")
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # torch raises many types for corrupt or foreign files
        raise VpkitError(f"{path}: not a readable vpkit checkpoint: {_unreadable(path, exc)}") from None
    if not isinstance(state, dict):
        raise VpkitError(f"{path}: not a vpkit checkpoint: it holds a {type(state).__name__}, not a mapping of entries")
    for key in needs:
        check, meaning = _ENTRIES[key]
        if key not in state:
            raise VpkitError(f"{path}: not a vpkit checkpoint: it has no {key!r} ({meaning})")
        if not check(state[key]):
            raise VpkitError(
                f"{path}: not a vpkit checkpoint: {key!r} should be {meaning}, got {_described(state[key])}"
            )
    return state


def _unreadable(path: Path, exc: Exception) -> str:
    """Why torch could not read ``path``, in words (torch's own messages name its internals)."""
    with open(path, "rb") as file:
        head = file.read(4)
    if not head:
        return "the file is empty"
    if head.startswith(b"PK"):  # the zip archive torch.save writes
        if "central directory" in str(exc):
            return "the file is cut short (an interrupted copy?)"
        return "a zip archive, but not one torch.save wrote"
    if head.startswith(b"\x80") and isinstance(exc, pickle.UnpicklingError):
        return "it holds Python objects besides tensors, which vpkit does not load (weights_only)"
    return "not a file torch.save wrote"


def _state_dict(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in value.items())


def _step(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _optimizers(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(net), dict) and {"state", "param_groups"} <= value[net].keys()
        for net in ("generator", "discriminator")
    )


def _rng(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    return (
        isinstance(value.get("torch"), torch.Tensor)
        and isinstance(value.get("cuda"), list)
        and isinstance(value.get("feeder"), dict)
    )


_ENTRIES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "generator": (_state_dict, "the generator's weights, a mapping of names to tensors"),
    "discriminator": (_state_dict, "the discriminator's weights, a mapping of names to tensors"),
    "step": (_step, "a step count, an integer >= 0"),
    "optimizers": (_optimizers, "the generator's and the discriminator's optimiser states"),
    "rng": (_rng, "the random-number states of torch and of the batch order"),
    "config": (lambda value: isinstance(value, dict), "the run's configuration"),
}


def _described(value: Any) -> str:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return shown(value)
    return f"a {type(value).__name__}"
