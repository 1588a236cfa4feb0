"""``vpkit sample``: a grid of generated videos from a trained run.

Unconditional models start from noise; conditional ones from the first frames of validation
clips (training clips when the run has no validation split), chosen by the seed. The grid
has the same columns as the trainer's sample grids.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vpkit.config.runfile import Run
from vpkit.data.prepare import prepare_store
from vpkit.engine.generate import generate, load_generator
from vpkit.engine.train.grids import labelled_grid, sample_columns
from vpkit.errors import ConfigError
from vpkit.video.files import check_video_path, clips_to_tensor, write_video


def real_clips(run: Run, count: int, seed: int | None) -> np.ndarray:
    """``count`` distinct clips of the run's store, uint8 (count, T, H, W, 3), picked by ``seed``."""
    store = prepare_store(run)
    clips = store.split("val")
    if not len(clips):
        clips = store.split("train")
    if count > len(clips):
        raise ConfigError(f"{store.root}: only {len(clips)} clips to start from; ask for at most {len(clips)}")
    picked = np.random.default_rng(seed).choice(len(clips), count, replace=False)
    return clips.gather(picked)


def sample_grid(
    run_dir: Path,
    output: Path,
    count: int = 16,
    seed: int | None = None,
    checkpoint: str | Path = "last",
    device: str = "auto",
) -> Path:
    """Write a grid of ``count`` generated videos (one per row, parts beside) to ``output``."""
    check_video_path(output)
    trained = load_generator(run_dir, checkpoint, device)
    real = condition = None
    if trained.generator.conditional:
        real = clips_to_tensor(real_clips(trained.run, count, seed))
        condition = real[:, :, : trained.run.clip.context]
    generated = generate(trained.generator, count, condition, seed, trained.precision)
    grid = labelled_grid(*sample_columns(generated, condition, real))
    return write_video(output, grid, trained.run.config.train.fps)
