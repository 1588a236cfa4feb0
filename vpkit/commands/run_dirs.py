"""Which directory ``vpkit run`` writes to: a new run, a resumed one, or one started over.

- A run directory that was named (``-o`` or ``output.dir``) and already holds a run is an
  error unless ``--resume`` continues it or ``--force`` starts over.
- The default directory, ``runs/<run file stem>``, is never an error: when it holds a run,
  a new run goes to the next free ``runs/<stem>-2``, ``-3``, ...; ``--resume`` continues the
  latest of them.
- ``--force`` moves the old run aside to ``<dir>.old`` (``.old-2``, ...), never deletes it.

A directory "holds a run" when it has a checkpoint: a run that stopped before its first
checkpoint has no training to lose.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from vpkit.engine.run_layout import RunLayout
from vpkit.errors import ConfigError, VpkitError

#: The checkpoint that makes a directory hold a run, relative to it.
CHECKPOINT = RunLayout(Path()).last_checkpoint


@dataclass
class RunDir:
    """Where the run goes, and what the user should be told about the choice."""

    path: Path
    note: str | None = None


def holds_run(path: Path) -> bool:
    return RunLayout(path).last_checkpoint.is_file()


def choose(default: Path, named: Path | None, resume: bool, force: bool) -> RunDir:
    """The run directory for ``vpkit run``; moves an old run aside on ``force``."""
    if resume and force:
        raise ConfigError("--resume continues a run and --force starts it over; pass one of them")
    if named is not None:
        return _named(named, resume, force)
    if resume:
        latest = numbered(default)
        if not latest:
            raise ConfigError(
                f"--resume: no run in {default} to continue (no {CHECKPOINT}); start one without --resume"
            )
        return RunDir(latest[-1], f"resuming {latest[-1]}" if latest[-1] != default else None)
    if force:
        return _named(default, resume, force)
    if not holds_run(default):
        return RunDir(default)
    fresh = next_free(default)
    return RunDir(
        fresh,
        f"{default} holds a run; this one goes to {fresh} (--resume continues the last one, "
        f"--force starts {default} over)",
    )


def _named(path: Path, resume: bool, force: bool) -> RunDir:
    if resume:
        if not holds_run(path):
            raise ConfigError(f"--resume: no checkpoint at {RunLayout(path).last_checkpoint}")
        return RunDir(path)
    if not holds_run(path):
        return RunDir(path)
    if not force:
        raise ConfigError(
            f"{path} already holds a run; pass --resume to continue it, --force to start over "
            f"(the old run is moved aside), or -o for a new directory"
        )
    aside = set_aside(path)
    return RunDir(path, f"moved the run that was in {path} to {aside}")


def numbered(default: Path) -> list[Path]:
    """``default`` and its numbered siblings (``<name>-2``, ...) that hold a run, in order."""
    pattern = re.compile(rf"{re.escape(default.name)}-(\d+)")
    found = [(1, default)] if holds_run(default) else []
    if default.parent.is_dir():
        for sibling in default.parent.iterdir():
            match = pattern.fullmatch(sibling.name)
            if match and holds_run(sibling):
                found.append((int(match.group(1)), sibling))
    return [path for _, path in sorted(found)]


def next_free(default: Path) -> Path:
    """The first ``<name>-N`` (N from 2) after every existing one, so numbers follow the order of runs."""
    taken = [
        int(m.group(1))
        for p in default.parent.iterdir()
        if (m := re.fullmatch(rf"{re.escape(default.name)}-(\d+)", p.name))
    ]
    return default.with_name(f"{default.name}-{max([1, *taken]) + 1}")


def set_aside(path: Path) -> Path:
    """Rename the run in ``path`` to the first free ``<name>.old``, ``<name>.old-2``, ..."""
    for n in range(1, 10_000):
        aside = path.with_name(f"{path.name}.old" + (f"-{n}" if n > 1 else ""))
        if not aside.exists():
            try:
                os.rename(path, aside)
            except OSError as exc:
                raise VpkitError(f"--force: cannot move {path} aside to {aside}: {exc.strerror}") from None
            return aside
    raise VpkitError(f"--force: {path}.old-* are all taken; remove some")  # pragma: no cover
