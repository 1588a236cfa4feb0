"""Which clips to show: a few spread over the inputs (videos) of a split and over time in each.

A split's first clips all come from its first video, seconds apart; a sample grid of them shows
one moment of one scene. Taken this way, each row of the grid is another video where the split
has enough of them, and a video that gives several rows gives them from across its length.
"""

from __future__ import annotations

import numpy as np

from vpkit.data.clips import ClipDataset


def spread_over_inputs(dataset: ClipDataset, count: int) -> list[int]:
    """Indices of up to ``count`` clips of ``dataset``: one from each input in turn (inputs evenly
    spread when there are more than ``count``), each input's clips from the middles of equal parts
    of it; in rounds, so consecutive indices come from different inputs."""
    sizes = list(dataset.counts)
    taken = [0] * len(sizes)
    left = min(count, sum(sizes))
    while left:
        open_inputs = [i for i, size in enumerate(sizes) if taken[i] < size]
        if len(open_inputs) > left:
            open_inputs = [open_inputs[j] for j in np.linspace(0, len(open_inputs) - 1, left).round().astype(int)]
        for i in open_inputs:
            taken[i] += 1
        left -= len(open_inputs)
    starts = np.cumsum([0, *sizes])
    picks = [starts[i] + ((np.arange(m) + 0.5) * sizes[i] / m).astype(int) for i, m in enumerate(taken)]
    return [int(p[k]) for k in range(max(taken, default=0)) for p in picks if k < len(p)]
