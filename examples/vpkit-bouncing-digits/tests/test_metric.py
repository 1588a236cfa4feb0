"""The motion_gap metric on videos whose motion is known."""

import pytest
import torch
from vpkit_bouncing_digits.metric import MotionGap

from vpkit import ClipSpec

CLIP = ClipSpec(frames=4, size=8)


def metric(**options):
    return MotionGap(MotionGap.Config(**options), CLIP)


def flicker(batch):
    """Frames alternating between -1 and 1: every pixel changes by the full range."""
    return torch.tensor([-1.0, 1.0, -1.0, 1.0]).view(1, 1, 4, 1, 1).expand(batch, 3, 4, 8, 8)


def test_still_videos_against_flickering_ones():
    m = metric()
    m.update(real=flicker(2), generated=torch.zeros(3, 3, 4, 8, 8))
    result = m.compute()
    assert result["motion_real"] == pytest.approx(1.0)
    assert result["motion_generated"] == 0.0
    assert result["motion_gap"] == pytest.approx(1.0)
    assert (result["real_videos"], result["generated_videos"]) == (2, 3)


def test_same_motion_means_no_gap_and_stride_matters():
    m = metric(stride=2)  # frames t and t + 2 of a flicker are equal
    m.update(real=flicker(2), generated=torch.zeros(2, 3, 4, 8, 8))
    assert m.compute()["motion_gap"] == 0.0


def test_reset_and_empty():
    m = metric()
    m.update(flicker(1), flicker(1))
    m.reset()
    with pytest.raises(ValueError, match="at least one real and one generated"):
        m.compute()


def test_needs_more_frames_than_the_stride():
    with pytest.raises(ValueError, match="more than stride=4"):
        MotionGap.check_clip(MotionGap.Config(stride=4), CLIP)
