"""The commands that list what is there: ``runs`` and ``plugins``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vpkit import plugins
from vpkit.commands import completion


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("runs"))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list on stdout, one object per run.")
def runs(folder: Path, as_json: bool) -> None:
    """List the runs in FOLDER (default runs/): step, status, size, last change and latest metrics.

    The status is running, finished, interrupted (Ctrl-C, or a process that is gone) or failed.

    Examples:

        vpkit runs

        vpkit runs experiments/ --json
    """
    from vpkit.commands.runs import describe, find_runs, table

    found = [describe(run_dir) for run_dir in find_runs(folder)]
    if as_json:
        click.echo(json.dumps(found, indent=2))
    elif not found:
        click.echo(f"no runs in {folder}", err=True)
    else:
        for line in table(found):
            click.echo(line)


@click.command("plugins")
@click.argument("component", required=False, shell_complete=completion.complete_component)
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def list_plugins(component: str | None, as_json: bool) -> None:
    """List installed plugins, their versions and the components each provides; with COMPONENT,
    that component's options: type, default and description of each.

    Examples:

        vpkit plugins

        vpkit plugins videogan_future

        VPKIT_LOAD_PLUGINS=videogan,synthetic vpkit plugins --json
    """
    if component is not None:
        from vpkit.commands.component_options import component_lines, describe_component

        described = describe_component(component)
        if as_json:
            click.echo(json.dumps(described, indent=2))
            return
        click.echo("\n\n".join("\n".join(component_lines(entry)) for entry in described))
        return
    found = plugins.describe_plugins()
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    for plugin in found:
        version = f" {plugin['version']}" if plugin["version"] else ""
        dist = f" (from {plugin['distribution']})" if plugin["distribution"] else ""
        click.echo(f"{plugin['name']}{version}{dist}")
        for kind, names in plugin["components"].items():
            click.echo(f"  {kind}s: {', '.join(names)}")
