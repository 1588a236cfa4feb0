"""The bouncing_digits source: deterministic clips of the right shape, written to a clip store."""

import numpy as np
import pytest
from vpkit_bouncing_digits.source import BouncingDigits

from vpkit import ClipSpec, ClipWriter

CLIP = ClipSpec(frames=6, size=24)


def source(**options):
    return BouncingDigits(BouncingDigits.Config(**options), CLIP)


def test_clips_are_uint8_and_the_same_for_the_same_seed():
    clip = source(seed=5).render(3)
    assert clip.dtype == np.uint8 and clip.shape == (6, 24, 24, 3)
    assert clip.any(), "no digit was drawn"
    assert np.array_equal(clip, source(seed=5).render(3))
    assert not np.array_equal(clip, source(seed=6).render(3))


def test_digits_move():
    clip = source(speed=0.2).render(0).astype(int)
    assert np.abs(np.diff(clip, axis=0)).sum() > 0


def test_small_frames_are_refused():
    with pytest.raises(ValueError, match="at least 12 pixels"):
        BouncingDigits.check_clip(BouncingDigits.Config(), ClipSpec(frames=4, size=8))


def test_prepare_fills_both_splits_and_resumes(tmp_path):
    digits = source(train_clips=5, val_clips=2, clips_per_shard=2)
    writer = ClipWriter(tmp_path, CLIP, {"source": "bouncing_digits"})
    digits.prepare(writer)
    summary = writer.finish().summary()
    assert summary.clips == {"train": 5, "val": 2}
    again = ClipWriter(tmp_path, CLIP, {"source": "bouncing_digits"})
    digits.prepare(again)  # every shard is already there: nothing is redone
    assert again.finish().summary().clips == {"train": 5, "val": 2}
