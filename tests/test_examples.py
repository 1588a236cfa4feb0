"""Every shipped run file starts with the command that runs it and validates."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpkit.runfile import load_run

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


def test_examples_exist():
    assert {p.name for p in EXAMPLES} >= {"quickstart.yaml", "basketball.yaml"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates(path):
    first = path.read_text().splitlines()[0]
    assert first.startswith("# vpkit "), f"{path.name} must begin with the command that runs it"
    assert path.name in first
    load_run(path)
