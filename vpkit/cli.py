"""The ``vpkit`` command line: parse, call the engine, report. No logic of its own."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from vpkit import __version__, plugins
from vpkit.clips import ClipStore
from vpkit.errors import VpkitError
from vpkit.runfile import load_run

RUN_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vpkit")
def cli() -> None:
    """vpkit: train, evaluate and extend video-prediction GANs from YAML run files."""


@cli.command()
@click.argument("run_file", type=RUN_FILE)
@click.option("-o", "--run-dir", type=click.Path(file_okay=False, path_type=Path), help="Run directory (default: runs/<run file stem>).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a run-file key, e.g. train.lr=1e-4 (repeatable).")
@click.option("--resume", is_flag=True, help="Continue the run in the run directory from its last checkpoint.")
def run(run_file: Path, run_dir: Path | None, overrides: tuple[str, ...], resume: bool) -> None:
    """Train the run described by RUN_FILE."""
    from vpkit.train import train_run

    spec = load_run(run_file, list(overrides))
    run_dir = run_dir or Path(spec.config.output.dir or Path("runs") / spec.stem)
    trainer = train_run(spec, run_dir, resume)
    click.echo(f"finished {trainer.step} steps; run written to {run_dir}", err=True)


@cli.command()
@click.argument("run_file", type=RUN_FILE)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a run-file key (repeatable).")
def data(run_file: Path, overrides: tuple[str, ...]) -> None:
    """Prepare the clip store of RUN_FILE's source (download, extract), without training."""
    from vpkit.prepare import prepare_store

    spec = load_run(run_file, list(overrides))
    store = prepare_store(spec)
    for line in describe_store(store):
        click.echo(line)


def describe_store(store: ClipStore) -> list[str]:
    """The summary ``vpkit data`` prints: inputs stored and skipped (with reasons), clips per split."""
    summary = store.summary()
    lines = [
        f"clip store: {store.root}",
        f"inputs: {sum(summary.shards.values())} ok ({summary.shards['train']} train, {summary.shards['val']} val), "
        f"{len(summary.skipped)} skipped",
    ]
    reasons = Counter(item["reason"] for item in summary.skipped)
    for reason, count in reasons.most_common():
        examples = [item.get("url") or item["key"] for item in summary.skipped if item["reason"] == reason][:3]
        lines.append(f"  {count} skipped: {reason} ({', '.join(examples)}{', ...' if count > 3 else ''})")
    lines.append(f"clips: {summary.clips['train']} train, {summary.clips['val']} val ({store.clip.frames}x{store.clip.size}x{store.clip.size})")
    return lines


@cli.command()
@click.argument("run_file", type=RUN_FILE)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a run-file key (repeatable).")
def validate(run_file: Path, overrides: tuple[str, ...]) -> None:
    """Check RUN_FILE, its plugins and their options, without running anything."""
    spec = load_run(run_file, list(overrides))
    click.echo(
        f"{run_file}: ok (source {spec.source.cls.name}, generator {spec.generator.cls.name}, "
        f"discriminator {spec.discriminator.cls.name}, {spec.clip.frames}x{spec.clip.size}x{spec.clip.size})"
    )


def _device(ctx: click.Context, param: click.Parameter, value: str) -> str:
    import torch

    if value != "auto":
        try:
            torch.device(value)
        except RuntimeError:
            raise click.BadParameter(f"expected auto, cpu, cuda or cuda:N, got {value!r}") from None
    return value


RUN_DIR = click.Path(file_okay=False, path_type=Path)
CHECKPOINT = click.option(
    "--checkpoint", type=click.Path(dir_okay=False, path_type=Path), help="Checkpoint to load (default: RUN_DIR/checkpoints/last.pt)."
)
DEVICE = click.option("--device", default="auto", show_default=True, callback=_device, help="auto, cpu, cuda or cuda:N.")


@cli.command()
@click.argument("run_dir", type=RUN_DIR)
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=Path("predictions"), show_default=True,
    help="A .gif or .mp4 file (one image), or a folder that gets one video per image.",
)
@click.option("--format", "fmt", type=click.Choice(["gif", "mp4"]), default="gif", show_default=True, help="Video format when writing into a folder.")
@CHECKPOINT
@DEVICE
def predict(run_dir: Path, images: tuple[Path, ...], output: Path, fmt: str, checkpoint: Path | None, device: str) -> None:
    """Predict the video that follows each image, with the conditional model trained in RUN_DIR.

    IMAGES are image files or folders of them; each is resized (short side) and centre-cropped
    to the model's size.
    """
    from vpkit.predict import predict_images

    for path in predict_images(run_dir, list(images), output, fmt, checkpoint, device):
        click.echo(path)


@cli.command()
@click.argument("run_dir", type=RUN_DIR)
@click.option("-n", "count", type=click.IntRange(min=1), default=16, show_default=True, help="Videos in the grid.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("grid.gif"), show_default=True, help="A .gif or .mp4 file.")
@click.option("--seed", type=int, help="Seed for repeatable samples (noise, or which validation clips start them).")
@CHECKPOINT
@DEVICE
def sample(run_dir: Path, count: int, output: Path, seed: int | None, checkpoint: Path | None, device: str) -> None:
    """Write a grid of videos generated by the model trained in RUN_DIR.

    Unconditional models start from noise; conditional ones from the first frames of
    validation clips, shown beside the prediction and the real continuation.
    """
    from vpkit.sample import sample_grid

    click.echo(sample_grid(run_dir, output, count, seed, checkpoint, device))


@cli.command()
@click.argument("run_dir", type=RUN_DIR)
@click.option("--metrics", "metric_names", metavar="NAMES", help="Comma-separated metrics (default: the run file's, else all that apply).")
@click.option("-n", "--videos", type=click.IntRange(min=2), help="Videos to generate and real clips to compare with (default: evaluation.videos).")
@click.option("--split", type=click.Choice(["train", "val"]), help="Split of the real clips (default: evaluation.split).")
@click.option("--checkpoint", type=click.Path(dir_okay=False, path_type=Path), help="Checkpoint to evaluate (default: checkpoints/last.pt; checkpoints/best.pt is the best one).")
@DEVICE
def evaluate(run_dir: Path, metric_names: str | None, videos: int | None, split: str | None, checkpoint: Path | None,
             device: str) -> None:
    """Score the run in RUN_DIR: print a table and write metrics.json there."""
    from vpkit.evaluate import evaluate_run
    from vpkit.score import parse_metrics

    names = parse_metrics(metric_names) if metric_names is not None else None
    document, notes = evaluate_run(run_dir, names, videos, split, device, checkpoint)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    protocol = next(iter(document["metrics"].values()))["protocol"]
    click.echo(f"step {document['step']}, {protocol['videos']} videos from the {protocol['split']} split, "
               f"{protocol['frames']}x{protocol['size']}x{protocol['size']}")
    _table(document["metrics"])
    click.echo(f"written to {Path(run_dir) / 'metrics.json'}", err=True)


@cli.command()
@click.argument("real", type=click.Path(path_type=Path))
@click.argument("fake", type=click.Path(path_type=Path))
@click.option("--metrics", "metric_names", default="ssim,psnr,lpips,fvd", show_default=True, metavar="NAMES", help="Comma-separated metrics.")
@click.option("--json", "as_json", is_flag=True, help='Print {"metric": value, ...} on stdout.')
@DEVICE
def score(real: Path, fake: Path, metric_names: str, as_json: bool, device: str) -> None:
    """Score the videos in FAKE against REAL (two video files, or two folders paired by file name)."""
    from vpkit.score import parse_metrics, score as score_videos

    results = score_videos(real, fake, parse_metrics(metric_names), device)
    if as_json:
        click.echo(json.dumps({name: result[name] for name, result in results.items()}))
        return
    _table(results)


def _table(results: dict) -> None:
    click.echo(f"{'metric':<8} {'value':>12}  videos")
    for name, result in results.items():
        count = result.get("videos") or f"{result.get('real_videos')} real / {result.get('generated_videos')} generated"
        click.echo(f"{name:<8} {result[name]:>12.4f}  {count}")
        if "warning" in result:
            click.echo(f"warning: {name}: {result['warning']}", err=True)


@cli.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def list_plugins(as_json: bool) -> None:
    """List installed plugins, their versions and the components each provides."""
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
    try:
        add_plugin_commands()
    except VpkitError as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    cli()
