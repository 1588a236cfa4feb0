import numpy as np
import pytest
from vpkit_synthetic.render import render_clip


@pytest.mark.parametrize(("frames", "size"), [(1, 8), (5, 17), (16, 32), (3, 40), (32, 64)])
def test_shape_and_dtype(frames, size):
    clip = render_clip((0, 3), frames, size)
    assert clip.shape == (frames, size, size, 3)
    assert clip.dtype == np.uint8


def test_same_entropy_same_bytes_other_seed_other_clip():
    a = render_clip((7, 11), 8, 32)
    assert a.tobytes() == render_clip((7, 11), 8, 32).tobytes()
    assert not np.array_equal(a, render_clip((8, 11), 8, 32))
    assert not np.array_equal(a, render_clip((7, 12), 8, 32))


def test_longer_clip_continues_the_shorter_one():
    assert np.array_equal(render_clip((0, 5), 16, 32)[:8], render_clip((0, 5), 8, 32))


def test_something_moves_between_frames():
    for index in range(10):
        clip = render_clip((0, index), 16, 32).astype(np.int16)
        assert np.abs(np.diff(clip, axis=0)).sum(axis=(1, 2, 3)).min() > 0, f"clip {index} has a still frame"


def test_floor_colour_dominates():
    for index in range(10):
        r, g, b = render_clip((0, index), 4, 32).reshape(-1, 3).mean(axis=0)
        assert r > g + 20 > b + 40, (r, g, b)
        assert 90 < r < 230


def test_player_count_follows_max_players():
    # More players running about change more of the frame over a clip.
    def motion(max_players):
        return sum(np.ptp(render_clip((0, i), 8, 32, max_players), axis=0).mean() for i in range(10))

    assert motion(1) < motion(4)


def test_a_stride_keeps_every_kth_frame_of_the_same_game():
    full = render_clip((0, 5), 16, 32)
    assert np.array_equal(render_clip((0, 5), 8, 32, stride=2), full[::2])
    assert np.array_equal(render_clip((0, 5), 4, 32, stride=4), full[::4])


def test_a_stride_moves_more_per_frame():
    def per_frame(stride):
        return sum(
            np.abs(np.diff(render_clip((0, i), 8, 32, stride=stride).astype(np.int16), axis=0)).mean()
            for i in range(10)
        )

    assert per_frame(1) < per_frame(3)
