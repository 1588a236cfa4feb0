"""Draw one clip of digits bouncing off the frame's edges, from a random generator."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

#: Bright colours on a black background, one per digit.
COLOURS = np.array([(255, 255, 255), (255, 80, 80), (80, 220, 80), (90, 140, 255), (255, 210, 60), (230, 90, 230)])


@lru_cache(maxsize=64)
def glyph(digit: int, height: int) -> np.ndarray:
    """The digit as a float mask in [0, 1], cropped to its ink, drawn with Pillow's default font."""
    font = ImageFont.load_default(size=height)
    left, top, right, bottom = font.getbbox(str(digit))
    image = Image.new("L", (right - left, bottom - top))
    ImageDraw.Draw(image).text((-left, -top), str(digit), fill=255, font=font)
    return np.asarray(image, dtype=np.float32) / 255.0


def render_clip(rng: np.random.Generator, frames: int, size: int, digits: int, height: int, speed: float) -> np.ndarray:
    """``digits`` digits moving in straight lines and bouncing, as uint8 (frames, size, size, 3).

    ``height`` is the font size in pixels and ``speed`` the distance per frame in pixels.
    """
    canvas = np.zeros((frames, size, size, 3), dtype=np.float32)
    for _ in range(digits):
        mask = glyph(int(rng.integers(10)), height)
        colour = COLOURS[rng.integers(len(COLOURS))]
        limit = np.array([size - mask.shape[0], size - mask.shape[1]], dtype=np.float64)
        position = rng.uniform(0, 1, 2) * limit
        angle = rng.uniform(0, 2 * np.pi)
        velocity = speed * np.array([np.sin(angle), np.cos(angle)])
        for t in range(frames):
            y, x = np.round(position).astype(int)
            region = canvas[t, y : y + mask.shape[0], x : x + mask.shape[1]]
            np.maximum(region, mask[..., None] * colour, out=region)
            position, velocity = _bounce(position + velocity, velocity, limit)
    return canvas.round().astype(np.uint8)


def _bounce(position: np.ndarray, velocity: np.ndarray, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reflect a position that left ``[0, limit]`` back inside, turning its velocity round."""
    low, high = position < 0, position > limit
    position = np.where(low, -position, np.where(high, 2 * limit - position, position))
    velocity = np.where(low | high, -velocity, velocity)
    return np.clip(position, 0, limit), velocity
