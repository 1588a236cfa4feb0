"""The static background: a wooden floor with painted court lines, seen from the side.

The camera looks across the court from above a sideline: the far wall is a dark strip
at the top, the sideline and a baseline run along it and down one side, and the key,
free-throw circle and three-point arc open from the baseline. Each clip varies the wood
tone, the paint, where the camera points, and which end the basket is at.
"""

from __future__ import annotations

import numpy as np

from vpkit_synthetic.shapes import band, grid, over

WOOD = np.array([196, 128, 72], dtype=np.float32)
WALL = np.array([38, 40, 58], dtype=np.float32)
LINE = np.array([238, 234, 222], dtype=np.float32)
KEY_PAINT = np.array([[150, 38, 36], [36, 62, 132], [34, 104, 62], [96, 48, 120]], dtype=np.float32)
PLANK_ROWS = 64  # per-row variations repeat after this many planks


def draw_court(rng: np.random.Generator, size: int) -> np.ndarray:
    """One background frame, float32 (size, size, 3) in [0, 255]."""
    # Draw every choice before the size-dependent noise, so a clip keeps its layout at any size.
    shift_x, shift_y = rng.uniform(-0.08, 0.08, 2) * size
    wood = WOOD * rng.uniform(0.88, 1.08) + rng.normal(0.0, 5.0, 3)
    row_tones, joints = rng.uniform(-0.06, 0.06, PLANK_ROWS), rng.uniform(0.0, 1.0, PLANK_ROWS)
    wall_bottom = (0.13 + rng.uniform(-0.03, 0.03)) * size + 0.5 * shift_y
    paint = KEY_PAINT[rng.integers(len(KEY_PAINT))]
    mirrored = rng.random() < 0.5
    noise = 0.012 * rng.standard_normal((size, size), dtype=np.float32)

    x, y = (a[0] for a in grid(size))  # (1, W) and (H, 1)

    # Planks run across the frame; each row has its own brightness and board joints.
    plank = 0.055 * size
    row = np.floor((y - shift_y) / plank).astype(np.int64) % PLANK_ROWS
    joint_length = 0.6 * size
    along = np.mod(x - shift_x + joints[row] * joint_length, joint_length)
    gaps = np.maximum(band(np.mod(y - shift_y, plank), 0.1), band(along, 0.15))
    grain = 0.02 * np.sin(x * (1.7 + 0.2 * row)) + noise
    floor = wood * (1.0 + row_tones[row] + grain - 0.12 * gaps)[..., None]

    sideline = wall_bottom + 0.09 * size
    baseline = 0.14 * size + shift_x
    out_of_bounds = (y < sideline) | (x < baseline)
    floor = np.where(out_of_bounds[..., None], floor * np.float32(0.78), floor)

    # The key: a painted rectangle from the baseline, then the circle and arc around it.
    centre = 0.64 * size + 0.5 * shift_y
    key_end, key_half = baseline + 0.34 * size, 0.15 * size
    in_key = (x > baseline) & (x < key_end) & (np.abs(y - centre) < key_half)
    floor = over(floor, paint, np.float32(0.55) * in_key)

    width = max(0.35, 0.011 * size)
    past_base, along_key = x >= baseline - width, (x >= baseline) & (x <= key_end)
    lines = np.stack(
        np.broadcast_arrays(
            band(y - sideline, width) * past_base,
            band(x - baseline, width) * (y >= sideline - width),
            band(np.abs(y - centre) - key_half, width) * along_key,
            band(x - key_end, width) * (np.abs(y - centre) <= key_half),
            band(np.hypot(x - key_end, y - centre) - key_half, width),
            band(np.hypot(x - baseline - 0.05 * size, y - centre) - 0.62 * size, width) * past_base,
        )
    ).max(axis=0)
    floor = over(floor, LINE, lines)
    panels = WALL * (1.0 + 0.15 * np.sin(x * (12 * np.pi / size)))[..., None]
    floor = np.where((y < wall_bottom)[..., None], panels, floor)

    if mirrored:
        floor = floor[:, ::-1]
    return np.ascontiguousarray(floor, dtype=np.float32)
