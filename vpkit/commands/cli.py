"""The ``vpkit`` command line: parse, call the engine, report. No logic of its own.

The commands live in modules by what they work on (``train_commands``, ``model_commands``,
``evaluation_commands``, ``listing_commands``); this module makes the group and adds them in the
order ``vpkit --help`` lists them. Every command imports what it needs inside its own function:
``vpkit --help``, ``--version``, ``validate`` and shell completion then import no torch and
answer at once (``benchmarks/bench_cli_startup.py`` measures it).
"""

from __future__ import annotations

import click

from vpkit import __version__, plugins
from vpkit.commands import completion, evaluation_commands, listing_commands, model_commands, train_commands
from vpkit.errors import VpkitError


class Commands(click.Group):
    """Lists each command with its whole first sentence (click cuts them at 45 characters), and
    keeps the words of the command line for shell completion (see ``completion.words``)."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        words = list(args)
        ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[completion.WORDS] = words
        return ctx

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (name, command.get_short_help_str(limit=200))
            for name, command in self.commands.items()
            if not command.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vpkit")
def cli() -> None:
    """vpkit: train, evaluate and extend video-prediction GANs from YAML run files.

    Start with `vpkit run examples/quickstart.yaml`; `vpkit COMMAND --help` shows each command's
    options and examples. Shell completion: see the command-line reference.
    """


for command in (
    train_commands.run_command,
    train_commands.init,
    train_commands.data,
    train_commands.validate,
    model_commands.predict,
    model_commands.sample,
    evaluation_commands.evaluate,
    evaluation_commands.score,
    evaluation_commands.compare,
    evaluation_commands.weights,
    model_commands.serve,
    model_commands.models,
    model_commands.export,
    listing_commands.runs,
    listing_commands.list_plugins,
):
    cli.add_command(command)


def add_plugin_commands() -> click.Group:
    """Let every loaded plugin add its commands to ``cli`` (used by ``main`` and the docs build)."""
    plugins.load_plugins().hook.register_commands(cli=cli)
    return cli


def main() -> None:
    """Entry point: plugins may add commands before click parses the arguments."""
    completion.install()
    try:
        add_plugin_commands()
    except VpkitError as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    cli()
