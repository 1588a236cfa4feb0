"""The commands that read a run file: ``run``, ``init``, ``data`` and ``validate``."""

from __future__ import annotations

from pathlib import Path

import click

from vpkit.commands import completion
from vpkit.commands.options import RUN_FILE, SET, load_run


@click.command("run")
@click.argument("run_file", type=RUN_FILE)
@click.option(
    "-o",
    "--run-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run directory (default: runs/<run file stem>, or the next free runs/<stem>-N when that holds a run).",
)
@SET
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the run in the run directory (by default the latest runs/<stem>[-N]) from its last checkpoint.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Start over in a run directory that holds a run; the old run is moved aside to <dir>.old, not deleted.",
)
@click.option(
    "--nproc-per-node",
    "processes",
    type=click.IntRange(min=1),
    metavar="N",
    help="Train with N processes on this machine (one per GPU, or several on the CPU), started by torch's "
    "launcher as torchrun --standalone --nproc-per-node N would; train.batch_size is shared among them.",
)
def run_command(
    run_file: Path, run_dir: Path | None, overrides: tuple[str, ...], resume: bool, force: bool, processes: int | None
) -> None:
    """Train the run described by RUN_FILE.

    Under torchrun (torchrun --nproc-per-node N -m vpkit run RUN_FILE) each process trains its
    share of every batch and rank 0 writes the run.

    Examples:

        vpkit run examples/quickstart.yaml

        vpkit run examples/quickstart.yaml --set train.steps=2000 -o runs/longer

        vpkit run examples/quickstart.yaml --resume --set train.steps=2000

        vpkit run examples/quickstart.yaml --nproc-per-node 2
    """
    from vpkit.commands.run_dirs import choose
    from vpkit.engine import distributed
    from vpkit.engine.train.trainer import train_run

    run = load_run(run_file, overrides)  # a mistake in the run file is reported once, before any process starts
    if processes is not None:
        if distributed.from_environment().distributed:
            raise click.UsageError("--nproc-per-node inside torchrun: torchrun has started the processes already")
        arguments = [
            "run",
            str(run_file),
            *(["-o", str(run_dir)] if run_dir else []),
            *(f"--set={item}" for item in overrides),
            *(["--resume"] if resume else []),
            *(["--force"] if force else []),
        ]
        distributed.launch(processes, arguments)
        return
    named = run_dir or (Path(run.config.output.dir) if run.config.output.dir else None)
    with distributed.process_group(run.config.train.device, run.config.train.rank_timeout) as (ranks, device):
        # rank 0 picks (and may move an old run aside); the others follow its choice
        chosen = distributed.on_main(lambda: choose(Path("runs") / run.stem, named, resume, force))
        if chosen.note and ranks.main:
            click.echo(f"note: {chosen.note}", err=True)
        trainer = train_run(run, chosen.path, resume, (ranks, device))
    if ranks.main:
        click.echo(f"{trainer.console.finished(trainer.step)}; the run is in {chosen.path}", err=True)


@click.command()
@click.argument("name", required=False, shell_complete=completion.complete_example)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write it, a file or a folder (default: examples/NAME.yaml, where the docs' commands look).",
)
@click.option("--force", is_flag=True, help="Replace a file that is already there.")
def init(name: str | None, output: Path | None, force: bool) -> None:
    """Copy the shipped run file NAME into the current directory; without NAME, list them.

    Examples:

        vpkit init quickstart && vpkit run examples/quickstart.yaml

        vpkit init future_quickstart -o my_run.yaml
    """
    if name is None:
        from vpkit.config.examples import shipped, summary

        examples = shipped()
        width = max(map(len, examples), default=0)
        for stem, path in examples.items():
            click.echo(f"{stem:<{width}}  {summary(path)}")
        return
    from vpkit.commands.examples import copy_example

    target = copy_example(name, output, force)
    click.echo(f"wrote {target}; train it with: vpkit run {target}", err=True)


@click.command()
@click.argument("run_file", type=RUN_FILE)
@SET
def data(run_file: Path, overrides: tuple[str, ...]) -> None:
    """Prepare the clip store of RUN_FILE's source (download, extract), without training.

    Examples:

        vpkit data examples/basketball.yaml

        vpkit data examples/basketball.yaml --set source.max_videos=5
    """
    from vpkit.data.prepare import describe_store, prepare_store

    run = load_run(run_file, overrides)
    store = prepare_store(run)
    for line in describe_store(store):
        click.echo(line)


@click.command()
@click.argument("run_file", type=RUN_FILE)
@SET
@click.option(
    "--print",
    "print_config",
    is_flag=True,
    help="Print the resolved configuration on stdout, every default filled in: the config.yaml a run would write.",
)
def validate(run_file: Path, overrides: tuple[str, ...], print_config: bool) -> None:
    """Check RUN_FILE, its plugins and their options, without running anything.

    Examples:

        vpkit validate examples/quickstart.yaml

        vpkit validate examples/quickstart.yaml --set model.generator.width=0.5 --print
    """
    run = load_run(run_file, overrides)
    if print_config:
        click.echo(run.resolved_yaml(), nl=False)
    click.echo(
        f"{run_file}: ok (source {run.source.cls.name}, generator {run.generator.cls.name}, "
        f"discriminator {run.discriminator.cls.name}, {run.clip.frames}x{run.clip.size}x{run.clip.size})",
        err=print_config,
    )
