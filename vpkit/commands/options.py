"""The options and arguments that several commands share, each declared once."""

from __future__ import annotations

from pathlib import Path

import click

from vpkit.commands import completion
from vpkit.engine.run_layout import CHECKPOINT_HELP

RUN_FILE = click.Path(dir_okay=False, path_type=Path)
SET = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    shell_complete=completion.complete_set,
    help="Override a run-file key, its value read as YAML, e.g. train.lr=1e-4 (repeatable).",
)


def load_run(run_file: Path, overrides: tuple[str, ...]):
    from vpkit.config.runfile import load_run as load

    return load(run_file, list(overrides))


def _device(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from vpkit.devices import check_device

    try:
        return check_device(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


RUN_DIR = click.Path(file_okay=False, path_type=Path)
CHECKPOINT = click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False),
    default="last",
    show_default=True,
    metavar="last|best|PATH",
    help=CHECKPOINT_HELP,
)
DEVICE = click.option(
    "--device", default="auto", show_default=True, callback=_device, help="auto, cpu, cuda or cuda:N."
)
