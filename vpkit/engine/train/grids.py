"""Sample grids: each generated video in a row, with the generator's named parts beside it.

For a conditional generator the row starts with the input (the context frames, the last one
held) and puts the real continuation right after the prediction.
"""

from __future__ import annotations

import numpy as np
import torch

from vpkit.components import GeneratorOutput
from vpkit.video.files import tensor_to_clips

PAD = 2


def as_video(part: torch.Tensor, frames: int) -> torch.Tensor:
    """Bring a part to a viewable video in [-1, 1], (B, 3, T, H, W).

    One channel means values in [0, 1] (a mask), shown in grey; a part without a time axis
    (a static background) is repeated over time.
    """
    if part.dim() == 4:
        part = part.unsqueeze(2).expand(-1, -1, frames, -1, -1)
    if part.shape[1] == 1:
        part = part.mul(2).sub(1).expand(-1, 3, -1, -1, -1)
    return part


def output_columns(output: GeneratorOutput) -> tuple[list[str], list[torch.Tensor]]:
    """The video first, then each named part that can be shown as a video."""
    frames = output.video.shape[2]
    names, columns = ["video"], [output.video]
    for name, part in output.parts.items():
        if part.dim() in (4, 5) and part.shape[1] in (1, 3):
            names.append(name)
            columns.append(as_video(part, frames))
    return names, columns


def context_column(context: torch.Tensor, frames: int) -> torch.Tensor:
    """The context frames (B, 3, k, H, W) as a ``frames``-long video: they play, then the last one is held."""
    held = context[:, :, -1:].expand(-1, -1, frames - context.shape[2], -1, -1)
    return torch.cat([context, held], dim=2)


def sample_columns(
    output: GeneratorOutput, context: torch.Tensor | None = None, real: torch.Tensor | None = None
) -> tuple[list[str], list[torch.Tensor]]:
    """The columns of a sample grid: :func:`output_columns`, or, given the context frames that
    conditioned ``output`` (and the real clips they came from), input | prediction | real | parts.
    """
    names, columns = output_columns(output)
    if context is None:
        return names, columns
    frames = output.video.shape[2]
    inputs = [context_column(context, frames), columns[0]]
    if real is None:
        return ["input", *names], [*inputs, *columns[1:]]
    return ["input", names[0], "real", *names[1:]], [*inputs, real, *columns[1:]]


def make_grid(columns: list[torch.Tensor]) -> np.ndarray:
    """Tile columns of video batches (each (B, 3, T, H, W) in [-1, 1]) into uint8 (T, H', W', 3)."""
    clips = [tensor_to_clips(c) for c in columns]
    batch, frames, height, width, _ = clips[0].shape
    grid = np.zeros((frames, PAD + batch * (height + PAD), PAD + len(clips) * (width + PAD), 3), dtype=np.uint8)
    for col, column in enumerate(clips):
        for row in range(batch):
            y, x = PAD + row * (height + PAD), PAD + col * (width + PAD)
            grid[:, y : y + height, x : x + width] = column[row]
    return grid
