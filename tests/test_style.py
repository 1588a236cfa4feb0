"""The style rules in pyproject.toml's [tool.ruff]: `ruff format` and `ruff check` keep the whole
repository, so the README's test command (which .ci/run runs) fails on a violation."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", [["format", "--check"], ["check"]], ids=["format", "check"])
def test_the_repository_keeps_the_style(command):
    result = ruff(*command, ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("command", "source", "rule"),
    [
        (["check"], f"NAME = '{'x' * 130}'\n", "E501"),
        (["check"], "import os\n", "F401"),
        (["format", "--check"], "x = {  'a':1 }\n", "would be reformatted"),
    ],
    ids=["long line", "unused import", "unformatted"],
)
def test_a_violation_fails_under_the_repository_configuration(tmp_path, command, source, rule):
    """The rules bite: a file that breaks one fails under the repository's own configuration."""
    (tmp_path / "bad.py").write_text(source)
    result = ruff(*command, "--config", str(ROOT / "pyproject.toml"), "bad.py", cwd=tmp_path)
    assert result.returncode == 1 and rule in result.stdout + result.stderr, result.stdout + result.stderr


def test_the_documentation_s_snippet_lines_are_intact():
    """The formatter leaves Markdown alone: a snippet line it reformatted would show as text."""
    broken = [str(page.relative_to(ROOT)) for page in (ROOT / "docs").rglob("*.md") if "--8 < --" in page.read_text()]
    assert broken == []
