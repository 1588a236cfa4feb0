"""The baselines' scores on an evaluation set, kept in the statistics cache: a baseline is scored once
per store, split, count, context and metric key, and every later evaluation on the same clips reads it.

A document whose key differs (a metric's options, the baselines' definitions or the reference clips
changed) is not used; one that cannot be read is reported as damaged and scored again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit.components import Metric
from vpkit.engine.evaluate.baselines import BASELINES, REFERENCE
from vpkit.engine.evaluate.stats_cache import StatsCache

Scores = tuple[dict[str, float], dict[str, dict]]
"""A metric's value for each baseline, and for paired metrics each baseline's per-frame curve."""


class BaselineCache:
    def __init__(self, cache: StatsCache, clips_key: dict[str, Any]):
        self.cache, self.clips_key = cache, clips_key

    def key(self, metric: Metric, context: int) -> dict[str, Any]:
        """Everything a baseline's score depends on: the clips, the context, the metric and its key, and the
        baselines' definitions."""
        return {
            "clips": self.clips_key,
            "context": context,
            "metric": metric.name,
            "options": metric.config.model_dump(mode="json"),
            "key": metric.real_key(),
            "paired": "frame scores of frames context..T-1, mean over frames then clips",
            "reference": REFERENCE,
            "baselines": {b.name: b.what for b in BASELINES},
        }

    def path(self, metric: Metric, context: int) -> Path:
        return self.cache.path(f"baselines-{metric.name}", self.key(metric, context), ".json")

    def load(self, metric: Metric, context: int) -> Scores:
        """The scores stored for ``metric`` at ``context``; empty when there are none or they do not fit."""
        path = self.path(metric, context)
        document = self.cache.read_json(path)
        if document is None:
            return {}, {}
        key = json.loads(json.dumps(self.key(metric, context)))
        fits = isinstance(document, dict) and document.get("key") == key
        values = document.get("values") if fits else None
        curves = document.get("curves") if fits else None
        if (
            not isinstance(values, dict)
            or not all(_is_number(v) for v in values.values())
            or not isinstance(curves, dict)
        ):
            self.cache.damaged(path)
            return {}, {}
        return {name: float(value) for name, value in values.items()}, curves

    def save(self, metric: Metric, context: int, scores: Scores) -> None:
        values, curves = scores
        self.cache.write_json(
            self.path(metric, context), {"key": self.key(metric, context), "values": values, "curves": curves}
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
