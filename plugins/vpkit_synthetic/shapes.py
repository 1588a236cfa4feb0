"""Anti-aliased coverage of simple shapes on a pixel grid.

Every function returns coverage in [0, 1]: roughly the fraction of each pixel the shape
covers, from the distance of the pixel centre to the shape's edge. Positions are in
pixels and broadcast, so one call draws a shape in every frame of a clip at once
(grids shaped (1, H, 1) and (1, 1, W), centres shaped (T, 1, 1)).
"""

from __future__ import annotations

import numpy as np


def grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates ``(x, y)`` shaped (1, 1, W) and (1, H, 1)."""
    centres = np.arange(size, dtype=np.float32) + 0.5
    return centres[None, None, :], centres[None, :, None]


def band(distance: np.ndarray, half_width: float) -> np.ndarray:
    """Coverage of a stroke ``half_width`` pixels either side of the zero set of ``distance``."""
    return np.clip(half_width + 0.5 - np.abs(distance), 0.0, 1.0)


def disc(x, y, cx, cy, radius) -> np.ndarray:
    return np.clip(radius + 0.5 - np.hypot(x - cx, y - cy), 0.0, 1.0)


def ellipse(x, y, cx, cy, rx, ry) -> np.ndarray:
    # Normalised radius times the smaller semi-axis approximates the distance to the edge.
    q = np.hypot((x - cx) / rx, (y - cy) / ry)
    return np.clip((1.0 - q) * np.minimum(rx, ry) + 0.5, 0.0, 1.0)


def segment(x, y, x0, y0, x1, y1, half_width: float) -> np.ndarray:
    """Coverage of a stroke from (x0, y0) to (x1, y1) with round ends."""
    dx, dy = x1 - x0, y1 - y0
    along = np.clip(((x - x0) * dx + (y - y0) * dy) / np.maximum(dx * dx + dy * dy, 1e-6), 0.0, 1.0)
    return band(np.hypot(x - x0 - along * dx, y - y0 - along * dy), half_width)


def over(base: np.ndarray, colour, coverage: np.ndarray) -> np.ndarray:
    """Paint ``colour`` over ``base`` (..., 3) where ``coverage`` (...) is set."""
    return base + (np.asarray(colour, dtype=np.float32) - base) * coverage[..., None]
