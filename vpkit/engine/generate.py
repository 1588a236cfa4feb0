"""Rebuild a trained generator from a run directory, and generate videos with it.

Shared by sampling, prediction and evaluation so they all load and run models the same way,
with the run's precision and memory format (:mod:`vpkit.engine.precision`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from vpkit.components import GeneratorOutput
from vpkit.config.runfile import Run, load_run
from vpkit.devices import pick_device
from vpkit.engine.checkpoint import load_checkpoint
from vpkit.engine.precision import Precision, of_run
from vpkit.engine.run_layout import RunLayout
from vpkit.errors import ConfigError, VpkitError
from vpkit.networks import Generator


@dataclass
class TrainedGenerator:
    """A run's generator with trained weights: the validated run, the model, its step and checkpoint,
    and the precision it runs at (the run's ``train.precision`` and ``train.channels_last``)."""

    run: Run
    generator: Generator
    step: int
    checkpoint: Path
    precision: Precision | None = None


def load_generator(run_dir: str | Path, checkpoint: str | Path | None = None, device: str = "auto") -> TrainedGenerator:
    """The run's resolved config plus its generator with the checkpoint's weights, in eval mode.

    ``checkpoint`` is what ``--checkpoint`` says: ``last`` (the default), ``best`` or a path."""
    layout = RunLayout(run_dir)
    if not layout.config.is_file():
        raise ConfigError(f"{run_dir}: not a vpkit run directory (no {layout.config.name})")
    checkpoint = layout.checkpoint(checkpoint)
    run = load_run(layout.config)
    target = pick_device(device)
    state = load_checkpoint(checkpoint, target)
    precision = of_run(run.config.train, target)
    generator = precision.prepare(run.generator.build(run.clip))
    try:
        generator.load_state_dict(state["generator"])
    except RuntimeError as exc:
        raise VpkitError(f"{checkpoint}: weights do not fit the run's generator ({str(exc).splitlines()[0]})") from None
    generator.eval()
    return TrainedGenerator(run, generator, int(state["step"]), checkpoint, precision)


def generate(
    generator: Generator,
    count: int,
    condition: torch.Tensor | None = None,
    seed: int | None = None,
    precision: Precision | None = None,
) -> GeneratorOutput:
    """``count`` videos from fresh latents (seeded when ``seed`` is given), at ``precision`` (default fp32).

    A conditional generator needs ``condition``: first frames (count, 3, H, W) in [-1, 1].
    """
    rng = torch.Generator().manual_seed(seed) if seed is not None else None
    return _run(generator, generator.sample_latent(count, rng), condition, precision)


def generate_each(
    generator: Generator, seeds: list[int], condition: torch.Tensor | None = None, precision: Precision | None = None
) -> GeneratorOutput:
    """One video per seed in one batch: video ``i`` is the one ``generate(generator, 1, condition[i:i+1], seeds[i])``
    gives, so requests that arrive together can share a forward pass without changing their answers."""
    z = torch.cat([generator.sample_latent(1, torch.Generator().manual_seed(seed)) for seed in seeds])
    return _run(generator, z, condition, precision)


@torch.no_grad()
def _run(
    generator: Generator, z: torch.Tensor, condition: torch.Tensor | None, precision: Precision | None
) -> GeneratorOutput:
    if generator.conditional and condition is None:
        raise ValueError(f"generator {generator.name!r} is conditional: it needs first frames")
    device = next(generator.parameters()).device
    z = z.to(device)
    if condition is not None:
        condition = condition.to(device)
    if precision is None:
        return generator(z, condition if generator.conditional else None)
    with precision.autocast():
        output = generator(z, condition if generator.conditional else None)
    # float32 again for whatever reads the videos (metrics, video files)
    return GeneratorOutput(
        output.video.float(),
        {k: v.float() for k, v in output.parts.items()},
        {k: v.float() for k, v in output.losses.items()},
    )
