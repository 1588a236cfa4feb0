"""Tutorials run as written: the fast ones here, top to bottom, in a fresh copy of the repository
(.ci/tutorials.py); .ci/run runs the slow ones too."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
spec = importlib.util.spec_from_file_location("tutorials", ROOT / ".ci" / "tutorials.py")
tutorials = sys.modules["tutorials"] = importlib.util.module_from_spec(spec)  # dataclasses look it up there
spec.loader.exec_module(tutorials)


def test_every_tutorial_says_how_long_it_takes():
    pages = sorted(tutorials.TUTORIALS.glob("*.md"))
    assert pages and [page.name for page in pages if tutorials.speed(page) not in ("fast", "slow")] == []


def test_a_page_reads_as_the_steps_a_reader_takes(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        textwrap.dedent("""\
        # A page
        <!-- tutorial: fast -->
        ```yaml
        # vpkit run mine.yaml
        seed: 1
        ```
        ```bash
        vpkit validate mine.yaml   # a comment stays with its command
        # a line of comment alone is no command
        vpkit run mine.yaml \\
            --set train.steps=2
        ```
        ```console
        $ vpkit runs
        run  step
        $ vpkit evaluate runs/mine \\
            -n 4
        step 2, ...
        ```
        <!-- tutorial: not run (an example) -->
        ```bash
        vpkit serve runs/other
        ```
        ```python
        print("not a shell command")
        ```
        """)
    )
    steps = tutorials.steps(page)
    assert steps[0].save == ("mine.yaml", "# vpkit run mine.yaml\nseed: 1\n")
    assert [step.command for step in steps[1:]] == [
        "vpkit validate mine.yaml   # a comment stays with its command",
        "vpkit run mine.yaml --set train.steps=2",
        "vpkit runs",
        "vpkit evaluate runs/mine -n 4",
    ]


@pytest.mark.parametrize("page", tutorials.pages({"fast"}), ids=lambda page: page.name)
def test_a_fast_tutorial_runs_as_written(page):
    assert tutorials.run_page(page) == []
