"""``vpkit predict``: the future of still images (or, for a model with several context frames,
of short videos or k images), one video each, from a conditional run.

Everything that can fail on bad input (output path, checkpoint, model kind, every image) is
checked before the first video is written; each video is written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vpkit.engine.generate import generate, load_generator
from vpkit.errors import ConfigError
from vpkit.video.context import file_contexts
from vpkit.video.files import (
    check_video_path,
    clips_to_tensor,
    tensor_to_clips,
    write_video,
)
from vpkit.video.images import find_images

BATCH = 16


def output_paths(names: list[str], output: Path, fmt: str) -> list[Path]:
    """Where each prediction's video goes (``names``: the stem of each input).

    ``output`` with a .gif or .mp4 suffix is the video of a single prediction; any other path
    without a suffix (or an existing folder) is a folder of ``<input stem>.<fmt>`` videos.
    """
    if output.suffix and not output.is_dir():
        check_video_path(output)
        if len(names) > 1:
            raise ConfigError(f"{output}: one video file for {len(names)} predictions; give a folder instead")
        return [output]
    targets = [output / f"{name}.{fmt}" for name in names]
    if len(set(targets)) < len(targets):
        twice = next(t for t in targets if targets.count(t) > 1)
        raise ConfigError(f"two inputs would both be written to {twice}; rename one")
    return targets


def predict_images(
    run_dir: Path,
    inputs: list[Path],
    output: Path,
    fmt: str = "gif",
    checkpoint: str | Path = "last",
    device: str = "auto",
) -> list[Path]:
    """Write the predicted video of every context in ``inputs`` (files or folders); return the paths."""
    files = find_images(inputs)
    trained = load_generator(run_dir, checkpoint, device)
    generator = trained.generator
    if not generator.conditional:
        raise ConfigError(
            f"{trained.checkpoint}: generator {generator.name!r} is unconditional and cannot start from an image; "
            "train a conditional one (e.g. videogan_future), or use vpkit sample"
        )
    clip, fps = trained.run.clip, trained.run.config.train.fps
    contexts = file_contexts(files, clip.size, clip.context)
    targets = output_paths([c.name for c in contexts], output, fmt)
    frames = np.stack([c.frames for c in contexts])
    for start in range(0, len(contexts), BATCH):
        context = clips_to_tensor(frames[start : start + BATCH])
        videos = tensor_to_clips(generate(generator, len(context), context, precision=trained.precision).video)
        for video, target in zip(videos, targets[start : start + BATCH], strict=False):
            write_video(target, video, fps)
    return targets
