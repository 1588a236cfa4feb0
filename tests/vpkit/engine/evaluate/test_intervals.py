"""Bootstrap intervals: they cover the value, narrow as 1/sqrt(N), repeat exactly, and for a
biased statistic (FVD) they are centred on the value, not on the resamples."""

import numpy as np
import pytest

from vpkit import bootstrap_interval


def _mean_interval(scores, resamples=1000):
    return bootstrap_interval(lambda i: scores[i].mean(), (len(scores),), resamples)


def test_a_mean_gets_an_interval_around_it_that_narrows_with_n():
    rng = np.random.default_rng(0)
    small, large = rng.normal(0.5, 0.2, 50), rng.normal(0.5, 0.2, 800)
    for scores in (small, large):
        result = _mean_interval(scores)
        low, high = result["ci95"]
        assert low < scores.mean() < high
        # the bootstrap standard error of a mean is the textbook one, std / sqrt(N)
        assert result["se"] == pytest.approx(scores.std() / np.sqrt(len(scores)), rel=0.1)
    width = {n: np.diff(_mean_interval(s)["ci95"])[0] for n, s in ((50, small), (800, large))}
    assert width[50] / width[800] == pytest.approx(4, rel=0.2)  # sqrt(800 / 50)


def test_seeded_hence_repeatable():
    scores = np.random.default_rng(1).random(30)
    assert _mean_interval(scores) == _mean_interval(scores)
    with pytest.raises(ValueError, match="at least 2 resamples"):
        _mean_interval(scores, resamples=1)


def test_a_biased_statistic_is_centred_on_its_value():
    """Squared distance between two sample means: resampling adds its small-N bias again, so the
    resampled values sit above the value; the interval is shifted back around it."""
    rng = np.random.default_rng(2)
    a, b = rng.normal(0, 1, (20, 8)), rng.normal(0.3, 1, (20, 8))
    statistic = lambda i, j: float(((a[i].mean(0) - b[j].mean(0)) ** 2).sum())  # noqa: E731
    value = statistic(np.arange(20), np.arange(20))
    resampled = [statistic(rng.integers(0, 20, 20), rng.integers(0, 20, 20)) for _ in range(1000)]
    assert np.mean(resampled) > value * 1.2  # the bias the shift removes
    low, high = bootstrap_interval(statistic, (20, 20))["ci95"]
    assert low < value < high
