import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from vpkit import Generator, GeneratorTraits, hookimpl
from vpkit.commands.cli import cli
from vpkit.errors import ConfigError, VpkitError
from vpkit.plugins import implementation, registry


def test_bundled_components_are_registered():
    assert "videogan" in registry("generator").classes
    assert "videogan" in registry("discriminator").classes
    assert "synthetic" in registry("source").classes
    assert registry("generator").providers["videogan"] == "videogan"


def test_unknown_name_suggests_and_lists():
    with pytest.raises(ConfigError) as err:
        registry("generator").get("videogna")
    assert (
        err.value.message
        == "unknown generator 'videogna' (did you mean 'videogan'?); available: videogan, videogan_future"
    )


def test_duplicate_name_names_both_providers(register_plugin):
    class Clash(Generator):
        name = "videogan"

    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(Clash)

    register_plugin(Plugin(), "clashing")
    with pytest.raises(VpkitError, match="generator 'videogan' is provided by both 'videogan' and 'clashing'"):
        registry("generator")


def test_registering_a_non_component_is_an_error(register_plugin):
    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(dict)

    register_plugin(Plugin(), "broken")
    with pytest.raises(VpkitError, match="is not a vpkit.Generator"):
        registry("generator")


def test_throwaway_plugin_shows_in_listing(register_plugin):
    class Mine(Generator):
        name = "mine"

    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(Mine)

    register_plugin(Plugin(), "mine-plugin")
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    listed = {p["name"]: p for p in json.loads(result.output)}
    assert listed["mine-plugin"]["components"] == {"generator": ["mine"]}
    assert listed["videogan"]["version"] and listed["videogan"]["distribution"] == "vpkit"
    assert listed["videogan"]["components"] == {
        "generator": ["videogan", "videogan_future"],
        "discriminator": ["videogan"],
    }


def test_plugins_text_listing():
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0
    assert "videogan" in result.output and "generators: videogan, videogan_future" in result.output


def _plugins_in_subprocess(env_value):
    import os

    env = {k: v for k, v in os.environ.items() if k != "VPKIT_LOAD_PLUGINS"}
    if env_value is not None:
        env["VPKIT_LOAD_PLUGINS"] = env_value
    out = subprocess.run(
        [sys.executable, "-m", "vpkit", "plugins", "--json"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return {p["name"] for p in json.loads(out)}


def test_load_plugins_env_restricts_what_loads():
    assert {"videogan", "synthetic"} <= _plugins_in_subprocess(None)
    assert _plugins_in_subprocess("synthetic") == {"synthetic"}
    assert _plugins_in_subprocess("") == set()


def test_plugins_can_add_commands(register_plugin, monkeypatch, capsys):
    import click

    from vpkit.commands import cli as cli_module

    class Plugin:
        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            def hello():
                """Say hello."""
                click.echo("hello from a plugin")

    register_plugin(Plugin(), "hello-plugin")
    monkeypatch.setattr(sys, "argv", ["vpkit", "hello"])
    with pytest.raises(SystemExit) as exit_:
        cli_module.main()
    assert exit_.value.code == 0
    assert capsys.readouterr().out == "hello from a plugin\n"
    cli_module.cli.commands.pop("hello")


class Wide(GeneratorTraits):
    """A declaration: what a run file needs to know, and where the work is done."""

    name = "wide"
    implementation = f"{__name__}:WideGenerator"
    conditional = True


class WideGenerator(Wide, Generator):
    pass


def _declaring(register_plugin, declaration):
    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(declaration)

    register_plugin(Plugin(), "declaring")


def test_a_declaration_registers_and_builds_its_implementation(register_plugin):
    _declaring(register_plugin, Wide)
    reg = registry("generator")
    assert reg.get("wide") is Wide and reg.get("wide").conditional
    assert implementation("generator", Wide) is WideGenerator
    assert implementation("generator", WideGenerator) is WideGenerator  # an implementation names itself


@pytest.mark.parametrize(
    "target, message",
    [
        ("no_such_module_here:Thing", "cannot be imported"),
        (f"{__name__}:Absent", "cannot be imported"),
        (f"{__name__}:Mine", "is not a vpkit.Generator subclassing"),  # a Generator, but not of this declaration
        (f"{__name__}:Wide", "is not a vpkit.Generator subclassing"),  # the declaration itself: no network
    ],
)
def test_a_declaration_whose_implementation_is_wrong_fails_when_built(register_plugin, target, message):
    broken = type("Broken", (GeneratorTraits,), {"name": "broken", "implementation": target})
    _declaring(register_plugin, broken)
    assert registry("generator").get("broken") is broken  # registering imports nothing
    with pytest.raises(VpkitError, match=f"generator 'broken': implementation '{target}' {message}"):
        implementation("generator", broken)


class Mine(Generator):
    name = "mine"


def test_bundled_plugins_register_declarations_that_import_no_torch():
    code = (
        "import sys\n"
        "from vpkit.plugins import describe_plugins\n"
        "describe_plugins()\n"
        "print(sorted(m for m in ('torch', 'yt_dlp', 'lpips', 'decord') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
