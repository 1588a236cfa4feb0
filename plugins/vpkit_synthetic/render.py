"""Render one clip: court background, shadows, then actors from far to near."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vpkit_synthetic.actors import FPS, cast
from vpkit_synthetic.court import draw_court
from vpkit_synthetic.shapes import grid, over


def render_clip(entropy: Sequence[int], frames: int, size: int, max_players: int = 2, stride: int = 1) -> np.ndarray:
    """A clip as uint8 (frames, size, size, 3), determined by ``entropy`` alone, keeping every
    ``stride``-th frame of the game's time (stride 2 is the same game at half the frame rate).

    The court and the actors draw from separate random streams, so one part's number of
    draws (which depends on ``size``) does not change the other.
    """
    court_seed, cast_seed = np.random.SeedSequence(list(entropy)).spawn(2)
    background = draw_court(np.random.default_rng(court_seed), size)
    x, y = grid(size)
    times = np.arange(frames, dtype=np.float32) * stride / FPS
    actors = cast(np.random.default_rng(cast_seed), x, y, times, size, max_players)

    light = np.ones((frames, size, size), dtype=np.float32)
    for actor in actors:
        light *= 1.0 - actor.shadow
    video = background * light[..., None]

    # Paint only the pixels some actor covers, far to near; the order differs per frame.
    alphas = np.stack([a.alpha for a in actors])
    where = np.nonzero(alphas.max(axis=0) > 0)
    cover = alphas[(slice(None), *where)]
    colours = np.stack([a.colour_at(where) for a in actors])
    order = np.argsort(np.stack([a.depth for a in actors]), axis=0, kind="stable")[:, where[0]]
    pixel = np.arange(len(where[0]))
    painted = video[where]
    for layer in order:
        painted = over(painted, colours[layer, pixel], cover[layer, pixel])
    video[where] = painted
    return np.clip(video + 0.5, 0, 255).astype(np.uint8)
