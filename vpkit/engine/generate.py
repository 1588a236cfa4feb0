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
from vpkit.errors import VpkitError
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
    layout = RunLayout(run_dir).existing()
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
    context: torch.Tensor | None = None,
    seed: int | None = None,
    precision: Precision | None = None,
) -> GeneratorOutput:
    """``count`` videos from fresh latents (seeded when ``seed`` is given), at ``precision`` (default fp32).

    A conditional generator needs ``context``: the real context frames (count, 3, k, H, W) in [-1, 1];
    they stand in front of each returned video (see :func:`with_context`).
    """
    rng = torch.Generator().manual_seed(seed) if seed is not None else None
    return _run(generator, generator.sample_latent(count, rng), context, precision)


def generate_each(
    generator: Generator, seeds: list[int], context: torch.Tensor | None = None, precision: Precision | None = None
) -> GeneratorOutput:
    """One video per seed in one batch: video ``i`` is the one ``generate(generator, 1, context[i:i+1], seeds[i])``
    gives, so requests that arrive together can share a forward pass without changing their answers."""
    z = torch.cat([generator.sample_latent(1, torch.Generator().manual_seed(seed)) for seed in seeds])
    return _run(generator, z, context, precision)


def generate_samples(
    generator: Generator, context: torch.Tensor, seeds: list[int], precision: Precision | None = None
) -> torch.Tensor:
    """K = ``len(seeds)`` predictions of each context (B, 3, k, H, W), in one forward pass: (K, B, 3, T, H, W),
    where sample ``i`` is the batch ``generate(generator, B, context, seeds[i])`` gives."""
    count = len(context)
    z = torch.cat([generator.sample_latent(count, torch.Generator().manual_seed(seed)) for seed in seeds])
    video = _run(generator, z, context.repeat(len(seeds), 1, 1, 1, 1), precision).video
    return video.view(len(seeds), count, *video.shape[1:])


def with_context(video: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
    """The real context frames (B, 3, k, H, W) in front of a generated clip's frames k..T-1.

    A conditional generator returns the whole clip, its own version of the context frames included
    (:class:`vpkit.Generator`); what is shown and scored as its prediction starts from the real ones.
    """
    return torch.cat([context.to(video.dtype), video[:, :, context.shape[2] :]], dim=2)


@torch.no_grad()
def _run(
    generator: Generator, z: torch.Tensor, context: torch.Tensor | None, precision: Precision | None
) -> GeneratorOutput:
    if generator.conditional and context is None:
        raise ValueError(f"generator {generator.name!r} is conditional: it needs context frames")
    if not generator.conditional:
        context = None
    device = next(generator.parameters()).device
    z = z.to(device)
    if context is not None:
        context = context.to(device)
        if context.dim() != 5 or context.shape[2] != generator.clip.context:
            raise ValueError(
                f"generator {generator.name!r} takes {generator.clip.context} context frame(s), "
                f"(B, 3, {generator.clip.context}, H, W); got shape {tuple(context.shape)}"
            )
    if precision is None:
        output = generator(z, context)
    else:
        with precision.autocast():
            output = generator(z, context)
        # float32 again for whatever reads the videos (metrics, video files)
        output = GeneratorOutput(
            output.video.float(),
            {k: v.float() for k, v in output.parts.items()},
            {k: v.float() for k, v in output.losses.items()},
        )
    if context is not None:
        output.video = with_context(output.video, context)
    return output
