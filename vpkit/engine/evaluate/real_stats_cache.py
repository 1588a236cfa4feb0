"""The real side's statistics of a distributional metric (FVD's feature moments), kept in the statistics
cache per clips and metric key, so that every later evaluation on the same clips scores only the model.

A metric whose ``real_key`` is None keeps nothing here; a file that the metric cannot load is reported
as damaged and computed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from vpkit.components import Metric
from vpkit.engine.evaluate.stats_cache import DAMAGED, StatsCache


class RealStatsCache:
    def __init__(self, cache: StatsCache, clips_key: dict[str, Any], writes: bool):
        """``writes``: whether this process saves (one process of several does)."""
        self.cache, self.clips_key, self.writes = cache, clips_key, writes

    def path(self, metric: Metric) -> Path | None:
        key = metric.real_key()
        if key is None:
            return None
        return self.cache.path(metric.name, {"clips": self.clips_key, "metric": metric.name, "key": key}, ".npz")

    def load(self, metric: Metric) -> dict[str, np.ndarray] | None:
        """The cached real statistics, loaded into ``metric``; None when there are none (or they are damaged)."""
        path = self.path(metric)
        state = self.cache.read_arrays(path) if path else None
        if state is None:
            return None
        try:
            metric.load_real_state(state)
        except DAMAGED as exc:
            metric.reset()
            return self.cache.damaged(path, exc)
        return state

    def save(self, metric: Metric) -> dict[str, np.ndarray] | None:
        """``metric``'s real statistics, just computed, written to the cache (None when it keeps none)."""
        path = self.path(metric)
        if path is None:
            return None
        state = metric.real_state()
        if self.writes:
            self.cache.write_arrays(path, state)
        return state
