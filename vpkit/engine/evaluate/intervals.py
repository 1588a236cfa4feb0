"""95% confidence intervals for metric values, from a bootstrap over videos.

A metric's value is a statistic of a set of videos: the mean of per-video scores, or the
Fréchet distance between the features of two sets. Drawing each set again, with replacement
and as many videos as it had, and recomputing the statistic ``resamples`` times shows how far
the value would move with other videos from the same sources. The features are already there,
so this costs no network evaluation.

The interval is the 2.5th to 97.5th percentile of the resampled values, shifted so that their
mean is the value itself. For a mean of scores the shift is negligible (that is the plain
percentile interval). For FVD it matters: resampling with replacement repeats videos, which
adds once more the upward bias FVD already has at finite N, so the unshifted percentiles can
lie wholly above the value. ``se`` is the standard deviation of the resampled values, the
standard error ``vpkit compare`` tests differences with. The draws are seeded: an interval
is as reproducible as its value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from vpkit.config.schema import RESAMPLES

LEVEL = 0.95
#: Fewer videos than this (per set), and a bootstrap interval is degenerate ([0.93, 0.93] from one
#: video) and a distributional metric (FVD) fits a distribution to a handful of points: n/a.
MIN_VIDEOS = 10


def with_sensible_n(result: dict[str, Any], name: str, paired: bool) -> dict[str, Any]:
    """``result`` as it may be shown: below :data:`MIN_VIDEOS` videos its interval, and for a
    distributional metric its value too, become None, and ``n/a`` says why."""
    count = result.get("videos") or min(result.get("real_videos", 0), result.get("generated_videos", 0))
    if count >= MIN_VIDEOS:
        return result
    shown = {key: value for key, value in result.items() if key not in ("ci95", "se")}
    if paired:
        return {**shown, "n/a": f"no 95% interval from {count} videos; it needs at least {MIN_VIDEOS}"}
    return {**shown, name: None, "n/a": f"no {name} from {count} videos per set; it needs at least {MIN_VIDEOS}"}


def bootstrap_interval(
    statistic: Callable[..., float], sizes: Sequence[int], resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, Any]:
    """``{"ci95": [low, high], "se": se}`` for ``statistic``.

    ``sizes`` gives the number of videos of each set; ``statistic`` is called with one index
    array per set (each drawn with replacement, of that set's size) and returns the value on
    those videos. Called with ``np.arange(size)`` for each set it must give the value itself.
    """
    if resamples < 2:
        raise ValueError(f"a bootstrap needs at least 2 resamples, got {resamples}")
    rng = np.random.default_rng(seed)
    value = statistic(*(np.arange(n) for n in sizes))
    values = np.array([statistic(*(rng.integers(0, n, n) for n in sizes)) for _ in range(resamples)])
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail]) - values.mean() + value
    return {"ci95": [float(low), float(high)], "se": float(values.std(ddof=1))}
