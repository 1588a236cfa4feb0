"""A CLI you can ask questions: the resolved configuration of a run file, a component's options,
and the shipped run files, copied where the docs' commands find them (also from an installed wheel)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner

from vpkit import plugins
from vpkit.commands.cli import cli
from vpkit.config.runfile import load_run
from vpkit.config.schema import RunConfig

ROOT = Path(__file__).resolve().parents[3]
QUICKSTART = ROOT / "examples" / "quickstart.yaml"


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def test_validate_print_shows_every_default_and_reads_back_as_the_same_run(tmp_path):
    result = invoke("validate", QUICKSTART, "--print", "--set", "train.steps=7")
    assert result.exit_code == 0, result.output
    printed = yaml.safe_load(result.stdout)
    assert printed == load_run(QUICKSTART, ["train.steps=7"]).resolved_dict()
    left_out = printed["train"].keys() - yaml.safe_load(QUICKSTART.read_text())["train"].keys()
    assert {"betas", "lr_d"} <= left_out  # defaults the file does not state, printed all the same
    defaults = RunConfig.model_fields["train"].default_factory().model_dump(mode="json")
    assert {key: printed["train"][key] for key in left_out} == {key: defaults[key] for key in left_out}
    assert printed["train"]["steps"] == 7
    assert result.stderr.startswith(f"{QUICKSTART}: ok")  # stdout is the YAML alone, for a pipe
    (tmp_path / "resolved.yaml").write_text(result.stdout)
    assert load_run(tmp_path / "resolved.yaml").resolved_dict() == printed


def test_plugins_name_lists_every_option_of_each_component_of_that_name():
    result = invoke("plugins", "videogan")
    assert result.exit_code == 0, result.output
    for kind in ("generator", "discriminator"):
        cls = plugins.registry(kind).get("videogan")
        assert f"{kind} videogan (from the videogan plugin)" in result.output
        for option, field in cls.Config.model_fields.items():
            assert f"    {option}: " in result.output and field.description in result.output
    assert "    width: float, > 0; default 1.0\n" in result.output  # type, bound and default on one line


def test_plugins_name_as_json_and_a_misspelt_name():
    result = invoke("plugins", "videogan_future", "--json")
    (entry,) = yaml.safe_load(result.stdout)
    fields = plugins.registry("generator").get("videogan_future").Config.model_fields
    assert [option["key"] for option in entry["options"]] == list(fields)
    background = next(option for option in entry["options"] if option["key"] == "background")
    assert background["default"] == fields["background"].default and background["type"].startswith("one of ")
    result = invoke("plugins", "videogna")
    assert result.exit_code == 2 and "no component called 'videogna' (did you mean 'videogan'?)" in result.output


def test_init_copies_a_shipped_run_file_where_the_docs_commands_look(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "quickstart")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "examples" / "quickstart.yaml").read_bytes() == QUICKSTART.read_bytes()
    assert invoke("validate", "examples/quickstart.yaml").exit_code == 0
    again = invoke("init", "quickstart")
    assert again.exit_code == 2 and "already there; pass --force" in again.output
    assert invoke("init", "quickstart", "-o", "mine.yaml").exit_code == 0 and (tmp_path / "mine.yaml").is_file()
    misspelt = invoke("init", "quickstar")
    assert misspelt.exit_code == 2 and "(did you mean 'quickstart'?)" in misspelt.output
    listing = invoke("init")
    assert sorted(line.split()[0] for line in listing.stdout.splitlines()) == sorted(
        p.stem for p in (ROOT / "examples").glob("*.yaml")
    )
    summaries_start = {len(line) - len(line.split(maxsplit=1)[1]) for line in listing.stdout.splitlines()}
    assert len(summaries_start) == 1  # one column, however long the longest name


def test_a_missing_run_file_named_like_a_shipped_one_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "examples/future_quickstart.yaml")
    assert result.exit_code == 2
    assert "`vpkit init future_quickstart` copies the shipped one to examples/future_quickstart.yaml" in result.output


def test_an_installed_wheel_ships_the_run_files(tmp_path):
    """Outside a clone, from the wheel pip would install: the README's first commands work after `vpkit init`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path, ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("vpkit-*.whl")
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    for command in (["init", "quickstart"], ["validate", "examples/quickstart.yaml"]):
        result = subprocess.run(
            [sys.executable, "-m", "vpkit", *command], cwd=elsewhere, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    assert (elsewhere / "examples" / "quickstart.yaml").read_bytes() == QUICKSTART.read_bytes()
