"""Sample grids: each generated video in a row, with the generator's named parts beside it.

For a conditional generator the row starts with the input (the context frames, the last one
held) and puts the real continuation right after the prediction. The grids vpkit writes to
files (``vpkit run``'s samples, ``vpkit sample``) are scaled up for display and name each
column above it (:func:`labelled_grid`); the server's grids name them in a header instead.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from vpkit.components import GeneratorOutput
from vpkit.video.files import tensor_to_clips

PAD = 2
#: Tiles narrower than this are scaled up (nearest neighbour, by a whole factor): a 32 x 32 clip
#: is a thumbnail on screen, and a column's name needs the room above it.
SHOWN_WIDTH = 64
#: Height of the band of column names above a labelled grid.
LABEL_HEIGHT = 14


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


def column_label(name: str, names: list[str]) -> str:
    """What a column is called on screen: the generated video is the prediction when an input precedes it."""
    if name != "video":
        return name
    return "prediction" if names[0] == "input" else "sample"


def labelled_grid(names: list[str], columns: list[torch.Tensor]) -> np.ndarray:
    """:func:`make_grid`, each tile scaled up to at least :data:`SHOWN_WIDTH` pixels, under a band
    that names each column (input, prediction, real, foreground, mask, background)."""
    width = columns[0].shape[-1]
    scale = max(1, -(-SHOWN_WIDTH // width))
    grid = make_grid([column.repeat_interleave(scale, -1).repeat_interleave(scale, -2) for column in columns])
    band = Image.new("RGB", (grid.shape[2], LABEL_HEIGHT))
    draw, font, tile = ImageDraw.Draw(band), ImageFont.load_default(), width * scale
    for index, name in enumerate(names):
        text = column_label(name, names)
        while draw.textlength(text, font=font) > tile:
            text = text[:-1]
        left = PAD + index * (tile + PAD) + (tile - draw.textlength(text, font=font)) / 2
        draw.text((left, 1), text, fill=(255, 255, 255), font=font)
    header = np.broadcast_to(np.asarray(band), (grid.shape[0], *np.asarray(band).shape))
    return np.concatenate([header, grid], axis=1)
