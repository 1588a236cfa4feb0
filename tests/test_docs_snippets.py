"""The plugin examples shown in the docs (docs/snippets/) register and work."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from click.testing import CliRunner

from vpkit.commands.cli import add_plugin_commands, cli

SNIPPETS = Path(__file__).parent.parent / "docs" / "snippets"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"docs_snippet_{name}", SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_and_discriminator_snippets_train(register_plugin, tiny_run, tmp_path):
    register_plugin(load("blob_generator"), "blob")
    register_plugin(load("flat_discriminator"), "flat")
    path = tiny_run(steps=2)
    path.write_text(
        path.read_text()
        .replace("{name: videogan, width: 0.125}", "{name: blob}", 1)
        .replace("name: videogan, width: 0.125", "name: flat")
    )
    result = CliRunner().invoke(cli, ["run", str(path), "-o", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    config = (tmp_path / "run" / "config.yaml").read_text()
    assert "name: blob" in config and "name: flat" in config
    assert (tmp_path / "run" / "samples" / "step_000002.gif").exists()


def test_command_snippet_adds_store_info(register_plugin, tiny_run, tmp_path):
    register_plugin(load("store_info_command"), "store-info")
    assert CliRunner().invoke(cli, ["run", str(tiny_run(steps=1)), "-o", str(tmp_path / "run")]).exit_code == 0
    store = next((tmp_path / "cache" / "clips").iterdir())
    try:
        add_plugin_commands()
        result = CliRunner().invoke(cli, ["store-info", str(store)])
    finally:
        cli.commands.pop("store-info", None)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "train: 24 clips in 3 shards",
        "val: 4 clips in 1 shards",
        "skipped inputs: 0",
    ]


def test_readme_plugin_example_is_the_tested_snippet():
    readme = (SNIPPETS.parent.parent / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert (SNIPPETS / "blob_generator.py").read_text() in blocks
