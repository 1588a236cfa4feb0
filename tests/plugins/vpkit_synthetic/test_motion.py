import numpy as np
from vpkit_synthetic.motion import bounce_heights, reflect


def test_reflect_folds_into_range():
    x = np.linspace(-5, 5, 101)
    folded = reflect(x, 1.0, 2.0)
    assert folded.min() >= 1.0 and folded.max() <= 2.0
    assert np.allclose(reflect(np.array([1.2, 2.3, 3.4]), 1.0, 2.0), [1.2, 1.7, 1.4])


def test_ball_falls_bounces_and_loses_height():
    times = np.arange(60) / 15
    heights = bounce_heights(0.4, 0.0, 2.0, 0.7, times)
    assert heights[0] == np.float32(0.4)
    assert heights.min() >= 0.0
    # Free fall from rest: h = 0.4 - g t^2 / 2 until the first landing.
    early = times < 0.6
    assert np.allclose(heights[early], 0.4 - times[early] ** 2, atol=1e-6)
    rising = np.flatnonzero(np.diff(heights) > 0)
    assert rising.size, "the ball never bounced"
    assert heights[rising[0] :].max() < 0.4 * 0.7**2 + 1e-6  # a bounce keeps restitution^2 of the height


def test_rebounds_die_out_to_rest():
    heights = bounce_heights(0.1, 0.0, 2.0, 0.3, np.arange(200) / 15)
    assert np.all(heights[-50:] == 0)
