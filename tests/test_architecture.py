"""The import contracts in pyproject.toml (layers that import only downwards, a core that never
imports a plugin, plugins that use only the public API), checked by import-linter."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run([command, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "upward",
    [
        "\nimport vpkit.engine.train.trainer  # an upward import\n",
        # The contracts see annotations too: no import hides behind TYPE_CHECKING.
        "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from vpkit.data.clips import ClipWriter\n",
    ],
    ids=["import", "type-checking import"],
)
def test_an_upward_import_in_the_foundation_breaks_a_contract(tmp_path, upward):
    """The contracts bite: a copy of the project with one upward import fails them."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "site", "runs", "__pycache__", "docs", "tests")
    )
    errors = copy / "vpkit" / "errors.py"
    errors.write_text(errors.read_text() + upward)
    env_path = f"{copy}:{copy / 'plugins'}"
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run(
        [command],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": env_path},
    )
    assert result.returncode != 0
    assert "The foundation modules import no layer BROKEN" in result.stdout
