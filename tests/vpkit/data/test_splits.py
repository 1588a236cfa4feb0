"""The split rule: whole inputs, each to the side that brings validation's clip share closest to the ask."""

from __future__ import annotations

import numpy as np
import pytest

from vpkit.data.splits import closest_split, describe_split


def split_all(clip_counts, val_fraction):
    held = {"train": 0, "val": 0}
    for clips in clip_counts:
        held[closest_split(held, clips, val_fraction)] += clips
    return held


@pytest.mark.parametrize("val_fraction", [0.1, 0.25, 0.5])
def test_shares_approach_the_fraction_whatever_the_lengths(val_fraction):
    rng = np.random.default_rng(0)
    counts = rng.integers(1, 128, size=60).tolist()  # videos of very different lengths
    held = split_all(counts, val_fraction)
    share = held["val"] / sum(counts)
    assert abs(share - val_fraction) <= max(counts) / sum(counts) / 2  # within half the largest video


def test_nothing_is_held_out_at_zero_and_the_first_video_trains():
    assert split_all([5, 9, 200], 0.0) == {"train": 214, "val": 0}
    assert closest_split({"train": 0, "val": 0}, 10, 0.25) == "train"


def test_one_long_video_is_not_what_tips_validation_over():
    # the case: one video far longer than the others stays in training when it would overshoot
    held = {"train": 300, "val": 60}
    assert closest_split(held, 400, 0.25) == "train"
    assert closest_split(held, 60, 0.25) == "val"


def test_the_description_names_both_shares():
    assert describe_split({"train": 300, "val": 100}, {"train": 6, "val": 2}) == (
        "validation holds 2 of 8 inputs, 100 of 400 clips (25.0%)"
    )
    assert (
        describe_split({"train": 0, "val": 0}, {"train": 0, "val": 0}) == "validation holds 0 of 0 inputs, 0 of 0 clips"
    )
