"""``vpkit init``: copy a shipped run file into the current directory (``torchtune``'s ``tune cp``)."""

from __future__ import annotations

from pathlib import Path

from vpkit.atomic import write_bytes
from vpkit.config.examples import FOLDER, shipped_example
from vpkit.errors import ConfigError


def copy_example(name: str, output: Path | None = None, force: bool = False) -> Path:
    """Copy the shipped run file ``name`` to ``output`` (default ``examples/NAME.yaml``); an existing
    file is kept unless ``force``: it may hold the user's own edits."""
    source = shipped_example(name)
    target = output or FOLDER / source.name
    if target.is_dir():
        target = target / source.name
    if target.exists() and not force:
        raise ConfigError(f"{target}: already there; pass --force to replace it, or -o for another path")
    write_bytes(target, source.read_bytes())
    return target
