"""The moving things: a bouncing ball and running players, drawn in every frame at once.

Actors stand on the floor at a ground point (u, v) in pixels; height above the floor
lifts them up the image. They move within the visible court, turning back at its edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vpkit_synthetic.motion import bounce_heights, reflect
from vpkit_synthetic.shapes import disc, ellipse, over, segment

FPS = 15.0  # frames per second of game time: sets how far things move between frames
GRAVITY = 2.0  # in frame heights per second squared; exaggerated so bounces fit a clip
BALL = (232, 104, 28)
SEAM = (70, 30, 12)
JERSEYS = np.array(
    [[200, 30, 40], [30, 70, 190], [245, 245, 240], [30, 140, 70], [250, 200, 40], [25, 25, 30], [120, 40, 150]],
    dtype=np.float32,
)
SKIN = np.array([[241, 194, 160], [198, 134, 90], [141, 85, 54], [88, 56, 40]], dtype=np.float32)


@dataclass
class Actor:
    """One actor over a clip: its strokes, depth (T,) and shadow (T, H, W).

    ``strokes`` are (colour (3,), coverage (T, H, W)) pairs painted in order; the first
    one's colour is the actor's base colour. They are kept apart rather than flattened
    into one RGB image because an actor covers few pixels: ``colour_at`` paints only
    those. ``depth`` is the ground v coordinate: nearer actors (larger v) are drawn over
    farther ones. ``shadow`` is how much the actor darkens the floor.
    """

    strokes: list[tuple[np.ndarray, np.ndarray]]
    depth: np.ndarray
    shadow: np.ndarray

    @property
    def alpha(self) -> np.ndarray:
        return np.maximum.reduce([coverage for _, coverage in self.strokes])

    def colour_at(self, where: tuple[np.ndarray, ...]) -> np.ndarray:
        """Colours (N, 3) at the (t, y, x) index arrays ``where``."""
        colour = np.broadcast_to(np.asarray(self.strokes[0][0], dtype=np.float32), (len(where[0]), 3))
        for paint, coverage in self.strokes[1:]:
            colour = over(colour, paint, coverage[where])
        return colour


def ground_path(rng: np.random.Generator, times: np.ndarray, size: int, speed: tuple[float, float], top: float):
    """Ground positions (u, v) shaped (T, 1, 1): a straight run folded into the court."""
    angle = rng.uniform(0, 2 * np.pi)
    velocity = rng.uniform(*speed) * size * np.array([np.cos(angle), 0.6 * np.sin(angle)])
    u = reflect(rng.uniform(0.05, 0.95) * size + velocity[0] * times, 0.05 * size, 0.95 * size)
    v = reflect(rng.uniform(top, 0.97) * size + velocity[1] * times, top * size, 0.97 * size)
    return u[:, None, None].astype(np.float32), v[:, None, None].astype(np.float32)


def ball(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, times: np.ndarray, size: int) -> Actor:
    u, v = ground_path(rng, times, size, (0.1, 0.5), top=0.3)
    lift = bounce_heights(rng.uniform(0.0, 0.35), rng.uniform(-0.3, 0.6), GRAVITY, rng.uniform(0.6, 0.8), times)
    radius = 0.045 * size
    cy = v - radius - lift[:, None, None] * size

    body = disc(x, y, u, cy, radius)
    # Seams: two crossing diameters that turn as the ball travels.
    spin = u / radius + rng.uniform(0, np.pi)
    cos, sin = radius * np.cos(spin), radius * np.sin(spin)
    dx, dy = x - u, y - cy
    width = max(0.25, 0.06 * radius)
    seams = np.maximum(segment(dx, dy, -cos, -sin, cos, sin, width), segment(dx, dy, sin, -cos, -sin, cos, width))
    rim = np.clip(np.hypot(dx, dy) - (radius - 1.0), 0.0, 1.0)  # a dark outline about a pixel wide

    # The shadow shrinks and fades as the ball rises.
    fade = 1.0 / (1.0 + 4.0 * lift[:, None, None])
    shadow = 0.45 * fade * ellipse(x, y, u, v - 0.2 * radius, radius * (0.6 + 0.4 * fade), 0.4 * radius)
    return Actor([(BALL, body), (SEAM, np.maximum(seams, rim) * body)], v[:, 0, 0], shadow)


def player(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, times: np.ndarray, size: int, jersey, skin) -> Actor:
    u, v = ground_path(rng, times, size, (0.2, 0.6), top=0.38)
    tall = rng.uniform(0.26, 0.32) * size
    stride = 2 * np.pi * rng.uniform(2.0, 3.0) * times[:, None, None] + rng.uniform(0, 2 * np.pi)
    step = 0.12 * tall * np.sin(stride)

    hip = v - 0.42 * tall - 0.02 * tall * np.abs(np.cos(stride))  # the body bobs once per step
    limb = max(0.4, 0.045 * tall)
    legs = np.maximum(
        segment(x, y, u - 0.05 * tall, hip, u - step, v - limb, limb),
        segment(x, y, u + 0.05 * tall, hip, u + step, v - limb, limb),
    )
    torso = ellipse(x, y, u, hip - 0.17 * tall, 0.14 * tall, 0.24 * tall)
    shorts = torso * (y > hip - 0.06 * tall)
    head = disc(x, y, u, hip - 0.47 * tall, 0.085 * tall)

    shadow = 0.4 * ellipse(x, y, u, v - 0.01 * tall, 0.22 * tall, 0.05 * tall)
    strokes = [(skin, legs), (jersey, torso), (jersey * np.float32(0.7), shorts), (skin, head)]
    return Actor(strokes, v[:, 0, 0], shadow)


def cast(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, times: np.ndarray, size: int, max_players: int):
    """The ball and one to ``max_players`` players in distinct jerseys."""
    count = int(rng.integers(1, max_players + 1))
    jerseys = JERSEYS[rng.choice(len(JERSEYS), count, replace=False)]
    skins = SKIN[rng.integers(len(SKIN), size=count)]
    players = [player(rng, x, y, times, size, j, s) for j, s in zip(jerseys, skins, strict=False)]
    return [ball(rng, x, y, times, size), *players]
