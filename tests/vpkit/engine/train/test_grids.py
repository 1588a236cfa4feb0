"""The sample grids vpkit writes: small clips scaled up for display, each column named above it."""

import numpy as np
import torch

from vpkit.engine.train.grids import LABEL_HEIGHT, PAD, SHOWN_WIDTH, column_label, labelled_grid, make_grid

NAMES = ["input", "video", "real", "mask"]


def columns(size: int) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(size)
    return [torch.rand(2, 3, 3, size, size, generator=generator) * 2 - 1 for _ in NAMES]


def test_small_tiles_are_scaled_up_by_a_whole_factor_under_a_band_of_names():
    plain, shown = make_grid(columns(16)), labelled_grid(NAMES, columns(16))
    scale = SHOWN_WIDTH // 16
    assert shown.shape == (3, LABEL_HEIGHT + PAD + 2 * (16 * scale + PAD), PAD + 4 * (16 * scale + PAD), 3)
    first_tile = plain[:, PAD : PAD + 16, PAD : PAD + 16]
    top = LABEL_HEIGHT + PAD
    shown_tile = shown[:, top : top + 16 * scale, PAD : PAD + 16 * scale]
    assert np.array_equal(shown_tile, first_tile.repeat(scale, 1).repeat(scale, 2))  # nearest neighbour
    band = shown[0, :LABEL_HEIGHT]
    for index in range(len(NAMES)):  # every column has its name written above it, the same in every frame
        left = PAD + index * (16 * scale + PAD)
        assert band[:, left : left + 16 * scale].max() > 200  # white text (antialiased)
    assert all(np.array_equal(frame[:LABEL_HEIGHT], band) for frame in shown)


def test_tiles_wide_enough_keep_their_size():
    shown = labelled_grid(NAMES, columns(SHOWN_WIDTH))
    assert shown.shape[2] == make_grid(columns(SHOWN_WIDTH)).shape[2]


def test_the_generated_column_is_a_prediction_after_an_input_and_a_sample_without():
    assert [column_label(name, NAMES) for name in NAMES] == ["input", "prediction", "real", "mask"]
    assert column_label("video", ["video", "mask"]) == "sample"
