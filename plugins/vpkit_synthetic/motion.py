"""Trajectories: movement confined to a range, and a ball bouncing under gravity."""

from __future__ import annotations

import math

import numpy as np


def reflect(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Fold positions into [lo, hi] as if bouncing off walls at both ends."""
    span = hi - lo
    folded = np.mod(x - lo, 2 * span)
    return lo + np.where(folded > span, 2 * span - folded, folded)


def bounce_heights(height: float, speed: float, gravity: float, restitution: float, times: np.ndarray) -> np.ndarray:
    """Height above the floor at ``times`` of a ball thrown up at ``speed`` from ``height``.

    Flight between bounces is an exact parabola; each bounce keeps ``restitution`` of the
    impact speed. Once the rebound speed is negligible the ball rests on the floor.
    """
    out = np.zeros(len(times), dtype=np.float32)
    start = 0.0  # time at which the current flight began, from ``height`` at ``speed``
    for i, t in enumerate(times):
        while True:
            landing = (speed + math.sqrt(speed * speed + 2 * gravity * height)) / gravity
            if t - start <= landing:
                dt = t - start
                out[i] = max(height + speed * dt - 0.5 * gravity * dt * dt, 0.0)
                break
            start += landing
            height, speed = 0.0, restitution * (gravity * landing - speed)
            if speed < 1e-3:
                return out  # resting: the remaining heights are already zero
    return out
