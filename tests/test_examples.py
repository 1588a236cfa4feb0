"""Every shipped run file starts with the command that runs it, and validates."""

from pathlib import Path

import pytest

from vpkit.config.runfile import load_run

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


def test_there_are_examples():
    assert {p.name for p in EXAMPLES} >= {"quickstart.yaml", "basketball.yaml"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_and_says_how_to_run_it(path):
    assert path.read_text().splitlines()[0] == f"# vpkit run examples/{path.name}"
    load_run(path)
