"""The shipped run files (``examples/*.yaml``): found in the installed package (package data,
``vpkit/examples``) or, in a clone, in the repository's ``examples/`` folder; ``vpkit init``
copies one into the current directory, where the commands of the README and the tutorials
(``vpkit run examples/quickstart.yaml``) then find it."""

from __future__ import annotations

import re
from pathlib import Path

from vpkit.errors import ConfigError, shown
from vpkit.suggest import did_you_mean

#: Where ``vpkit init NAME`` puts a copy, relative to the current directory: where the docs' commands look.
FOLDER = Path("examples")


def shipped_folder() -> Path | None:
    """The folder of shipped run files: the package's own (an installed wheel), else the clone's."""
    package = Path(__file__).resolve().parents[1]
    return next((folder for folder in (package / "examples", package.parent / "examples") if folder.is_dir()), None)


def shipped() -> dict[str, Path]:
    """Every shipped run file by name (its stem)."""
    folder = shipped_folder()
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))} if folder else {}


def shipped_example(name: str) -> Path:
    """The shipped run file called ``name``; a user error naming the ones there are."""
    examples = shipped()
    if name not in examples:
        raise ConfigError(
            f"no shipped example {shown(name)}{did_you_mean(name, examples)}; "
            f"available: {', '.join(examples) or 'none (this installation has no examples)'}"
        )
    return examples[name]


def summary(path: Path) -> str:
    """The first sentence of the file's opening comment (after the line with its run command)."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        text = line.removeprefix("#").strip()
        if not line.startswith("#") or (not text and words):
            break
        words += text.split()
    paragraph = " ".join(words)
    end = re.search(r"\.\s+(?=[A-Z`])", paragraph)  # "et al. 2016" goes on
    return paragraph[: end.start() + 1] if end else paragraph


def hint_for_missing(path: Path) -> str:
    """For a run file that is not there but is named like a shipped one: how to get it."""
    return (
        f"; `vpkit init {path.stem}` copies the shipped one to {FOLDER / path.name}" if path.stem in shipped() else ""
    )
