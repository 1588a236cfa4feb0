"""Scene-cut detection on decoded frames: a jump in the colour histogram between two frames.

Histograms ignore where things are in the frame, so fast motion (a pan, a player crossing)
barely moves them while a cut to another shot replaces them; highlight reels cut often.
"""

from __future__ import annotations

import numpy as np

BINS = 16


def histograms(frames: np.ndarray) -> np.ndarray:
    """Per-frame colour histograms of uint8 frames (T, H, W, 3): (T, 3 * BINS), each channel summing to 1."""
    t, h, w, c = frames.shape
    binned = frames.reshape(t, h * w, c) // (256 // BINS) + np.arange(c, dtype=np.uint8) * BINS
    counts = np.stack([np.bincount(b.ravel(), minlength=c * BINS) for b in binned.astype(np.int64)])
    return counts / (h * w)


def cut_scores(frames: np.ndarray) -> np.ndarray:
    """Change between consecutive frames, 0 (same colours) to 1 (no colour in common), shape (T - 1,)."""
    hist = histograms(frames)
    return np.abs(np.diff(hist, axis=0)).sum(axis=1) / (2 * frames.shape[-1])


def spans_cut(frames: np.ndarray, threshold: float) -> bool:
    return len(frames) > 1 and bool((cut_scores(frames) > threshold).any())
