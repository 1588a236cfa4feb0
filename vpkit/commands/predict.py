"""``vpkit predict``: the future of still images, one video each, from a conditional run.

Everything that can fail on bad input (output path, checkpoint, model kind, every image) is
checked before the first video is written; each video is written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vpkit.engine.generate import generate, load_generator
from vpkit.errors import ConfigError
from vpkit.video.files import (
    check_video_path,
    clips_to_tensor,
    tensor_to_clips,
    write_video,
)
from vpkit.video.images import find_images, load_frame

BATCH = 16


def output_paths(images: list[Path], output: Path, fmt: str) -> list[Path]:
    """Where each image's video goes.

    ``output`` with a .gif or .mp4 suffix is the video of a single image; any other path
    without a suffix (or an existing folder) is a folder of ``<image stem>.<fmt>`` videos.
    """
    if output.suffix and not output.is_dir():
        check_video_path(output)
        if len(images) > 1:
            raise ConfigError(f"{output}: one video file for {len(images)} images; give a folder instead")
        return [output]
    targets = [output / f"{image.stem}.{fmt}" for image in images]
    seen: dict[Path, Path] = {}
    for image, target in zip(images, targets, strict=False):
        if target in seen:
            raise ConfigError(f"{seen[target]} and {image} would both be written to {target}; rename one")
        seen[target] = image
    return targets


def predict_images(
    run_dir: Path,
    inputs: list[Path],
    output: Path,
    fmt: str = "gif",
    checkpoint: Path | None = None,
    device: str = "auto",
) -> list[Path]:
    """Write the predicted video of every image in ``inputs`` (files or folders); return the paths."""
    images = find_images(inputs)
    targets = output_paths(images, output, fmt)
    trained = load_generator(run_dir, checkpoint, device)
    generator = trained.generator
    if not generator.conditional:
        raise ConfigError(
            f"{trained.checkpoint}: generator {generator.name!r} is unconditional and cannot start from an image; "
            "train a conditional one (e.g. videogan_future), or use vpkit sample"
        )
    size, fps = trained.run.clip.size, trained.run.config.train.fps
    frames = np.stack([load_frame(image, size) for image in images])
    for start in range(0, len(images), BATCH):
        condition = clips_to_tensor(frames[start : start + BATCH, None])[:, :, 0]
        videos = tensor_to_clips(generate(generator, len(condition), condition, precision=trained.precision).video)
        for video, target in zip(videos, targets[start : start + BATCH], strict=False):
            write_video(target, video, fps)
    return targets
