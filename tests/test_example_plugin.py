"""The example third-party plugin and the plugin template work through the real entry point.

Each package is made visible the way pip would make it: a ``*.dist-info`` folder with its
``entry_points.txt`` (built from the package's own ``pyproject.toml``) on the ``PYTHONPATH``
of a subprocess, beside the package's ``src``. Nothing is installed into the test venv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")

EXAMPLES = Path(__file__).parent.parent / "examples"
DIGITS = EXAMPLES / "vpkit-bouncing-digits"
TEMPLATE = EXAMPLES / "plugin-template"


def installed(package: Path, site: Path) -> dict[str, str]:
    """An environment in which ``package`` is importable and its entry points are found."""
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    dist_info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    (dist_info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items())
            for group, entries in project["entry-points"].items()
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "VPKIT_LOAD_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), str(package / "src"), env.get("PYTHONPATH")]))
    return env


def vpkit(env, *args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "vpkit", *map(str, args)], env=env, capture_output=True, text=True, cwd=cwd
    )


def own_tests(package: Path, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        env=env,
        cwd=package,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def digits_env(tmp_path):
    return installed(DIGITS, tmp_path / "site")


def test_vpkit_plugins_lists_the_example_from_its_distribution(digits_env):
    result = vpkit(digits_env, "plugins", "--json")
    assert result.returncode == 0, result.stderr
    listed = {p["name"]: p for p in json.loads(result.stdout)}
    assert listed["bouncing_digits"] == {
        "name": "bouncing_digits",
        "distribution": "vpkit-bouncing-digits",
        "version": "0.1.0",
        "components": {"source": ["bouncing_digits"], "metric": ["motion_gap"], "logger": ["markdown_report"]},
    }


def test_example_validates_and_trains(digits_env, tiny_run, tmp_path):
    path = tiny_run(
        2,
        "digits.yaml",
        source={"name": "bouncing_digits"},
        metrics=["motion_gap"],
        evaluation={"videos": 4},
        logging=["markdown_report"],
    )
    validated = vpkit(digits_env, "validate", path)
    assert validated.returncode == 0, validated.stderr
    assert "source bouncing_digits" in validated.stdout
    run = vpkit(digits_env, "run", path, "-o", tmp_path / "run")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "run" / "checkpoints" / "last.pt").exists()
    assert (tmp_path / "run" / "samples" / "step_000002.gif").exists()
    report = (tmp_path / "run" / "report.md").read_text()  # the plugin's logger, through the entry point
    assert "# run: step 2" in report and "motion_gap" in report and "![samples](samples/step_000002.gif)" in report
    manifest = json.loads(next((tmp_path / "cache" / "clips").glob("bouncing_digits-*/manifest.json")).read_text())
    assert manifest["complete"] and manifest["shards"][0]["provenance"][0]["source"] == "bouncing_digits"


def test_shipped_example_run_file_validates(digits_env):
    result = vpkit(digits_env, "validate", DIGITS / "digits.yaml")
    assert result.returncode == 0, result.stderr
    assert (DIGITS / "digits.yaml").read_text().startswith("# vpkit run examples/vpkit-bouncing-digits/digits.yaml\n")


def test_example_own_tests_pass(digits_env):
    result = own_tests(DIGITS, digits_env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_registers_and_its_tests_pass(tmp_path):
    env = installed(TEMPLATE, tmp_path / "site")
    listed = {p["name"]: p for p in json.loads(vpkit(env, "plugins", "--json").stdout)}
    assert listed["myplugin"]["components"] == {
        "source": ["my_source"],
        "generator": ["my_generator"],
        "metric": ["my_metric"],
    }
    result = own_tests(TEMPLATE, env)
    assert result.returncode == 0, result.stdout + result.stderr
