"""Checkpoints: their schema, written atomically, loaded safely (``weights_only=True``), checked before use.

:data:`SCHEMA` is the one place that says what a checkpoint holds: each entry's meaning, the
check a loaded value must pass, how the trainer's parts build it and how a resumed run restores
it. A checkpoint may be damaged, hand-made or foreign, so what is read is checked entry by entry,
and a problem is named ("'step' should be a step count, got 'four'") instead of surfacing later
as a KeyError deep in the trainer.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from vpkit import __version__
from vpkit.atomic import WriteError, atomic_path
from vpkit.errors import ConfigError, VpkitError, reason_of, shown

#: Which readers need an entry: every one (sampling, evaluation, serving), a resumed run, or none.
LOAD, RESUME, OPTIONAL = "load", "resume", "optional"


@dataclass(frozen=True)
class Entry:
    """One key of a checkpoint. ``build`` and ``restore`` take the trainer's parts: its ``run``,
    ``store``, ``step``, ``G``, ``D``, ``average``, ``generator`` (the average when on, else ``G``),
    ``opt_g``, ``opt_d``, ``precision`` and ``feeder``. ``build`` returning None leaves the key out;
    ``restore`` None means the entry is read elsewhere (by the checks on resume,
    :mod:`vpkit.engine.train.resume`)."""

    meaning: str
    check: Callable[[Any], bool]
    needed_by: str
    build: Callable[[Any], Any]
    restore: Callable[[Any, dict[str, Any]], None] | None = None


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


def _restore_generators(parts: Any, state: dict[str, Any]) -> None:
    # With the weight average on, "generator" holds it and "generator_training" the optimiser's weights.
    parts.G.load_state_dict(state.get("generator_training", state["generator"]))
    if parts.average:
        parts.average.model.load_state_dict(state["generator"])


def _restore_optimizers(parts: Any, state: dict[str, Any]) -> None:
    parts.opt_g.load_state_dict(state["optimizers"]["generator"])
    parts.opt_d.load_state_dict(state["optimizers"]["discriminator"])


def _random_states(parts: Any) -> dict[str, Any]:
    """torch's random-number states (CPU and every CUDA device) and the batch feeder's, so that a
    resumed run draws what an unbroken one would."""
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "feeder": parts.feeder.state_dict(),
    }


def _restore_random_states(parts: Any, state: dict[str, Any]) -> None:
    states = state["rng"]
    torch.set_rng_state(states["torch"].cpu())
    if states["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in states["cuda"]])
    parts.feeder.load_state_dict(states["feeder"])


def _restore_step(parts: Any, state: dict[str, Any]) -> None:
    parts.step = int(state["step"])


#: What ``vpkit run`` writes into a checkpoint, in the order entries are checked and restored.
SCHEMA: dict[str, Entry] = {
    "generator": Entry(
        "the generator's weights, a mapping of names to tensors",
        _state_dict,
        LOAD,
        lambda parts: parts.generator.state_dict(),
        _restore_generators,
    ),
    "generator_training": Entry(
        "the weights the generator's optimiser trains, beside their average in 'generator'",
        _state_dict,
        OPTIONAL,
        lambda parts: parts.G.state_dict() if parts.average else None,
    ),
    "discriminator": Entry(
        "the discriminator's weights, a mapping of names to tensors",
        _state_dict,
        LOAD,
        lambda parts: parts.D.state_dict(),
        lambda parts, state: parts.D.load_state_dict(state["discriminator"]),
    ),
    "optimizers": Entry(
        "the generator's and the discriminator's optimiser states",
        _optimizers,
        RESUME,
        lambda parts: {"generator": parts.opt_g.state_dict(), "discriminator": parts.opt_d.state_dict()},
        _restore_optimizers,
    ),
    "rng": Entry(
        "the random-number states of torch and of the batch order",
        _rng,
        RESUME,
        _random_states,
        _restore_random_states,
    ),
    "scalers": Entry(
        "the gradient scalers' states (fp16)",
        lambda value: value is None or isinstance(value, dict),
        OPTIONAL,
        lambda parts: parts.precision.state_dict(),
        lambda parts, state: parts.precision.load_state_dict(state.get("scalers") or {}),
    ),
    "step": Entry("a step count, an integer >= 0", _step, LOAD, lambda parts: parts.step, _restore_step),
    "config": Entry(
        "the run's configuration",
        lambda value: isinstance(value, dict),
        RESUME,
        lambda parts: parts.run.resolved_dict(),
    ),
    "store": Entry(
        "the fingerprint of the clip store it trained on",
        lambda value: isinstance(value, dict),
        OPTIONAL,
        lambda parts: parts.store.fingerprint,
    ),
    "vpkit_version": Entry(
        "the vpkit version that wrote it", lambda value: isinstance(value, str), OPTIONAL, lambda _: __version__
    ),
}
#: What every reader needs: the weights of both networks and the step they were saved at.
TO_LOAD = tuple(key for key, entry in SCHEMA.items() if entry.needed_by == LOAD)
#: What a resumed run needs besides: optimiser and random-number states, and the run's config.
TO_RESUME = (*TO_LOAD, *(key for key, entry in SCHEMA.items() if entry.needed_by == RESUME))


def training_state(parts: Any) -> dict[str, Any]:
    """The checkpoint of the trainer's ``parts``: every entry of :data:`SCHEMA` they build."""
    built = {key: entry.build(parts) for key, entry in SCHEMA.items()}
    return {key: value for key, value in built.items() if value is not None}


def restore_training_state(parts: Any, state: dict[str, Any], path: Path) -> None:
    """Load a checkpoint (read with ``needs=TO_RESUME``) into the trainer's ``parts``; a user error
    when it does not fit them (a foreign or hand-edited checkpoint)."""
    try:
        for entry in SCHEMA.values():
            if entry.restore is not None:
                entry.restore(parts, state)
    except (RuntimeError, ValueError, KeyError, TypeError) as exc:
        raise VpkitError(
            f"{path}: the checkpoint does not fit this run ({reason_of(exc)}); start a new run with -o"
        ) from None


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
        entry = SCHEMA[key]
        if key not in state:
            raise VpkitError(f"{path}: not a vpkit checkpoint: it has no {key!r} ({entry.meaning})")
        if not entry.check(state[key]):
            raise VpkitError(
                f"{path}: not a vpkit checkpoint: {key!r} should be {entry.meaning}, got {_described(state[key])}"
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


def _described(value: Any) -> str:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return shown(value)
    return f"a {type(value).__name__}"
