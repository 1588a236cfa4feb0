"""Best-of-K, mean-of-K and per-frame curves of a paired metric, and the diversity of K samples.

A paired metric scores every predicted frame of every sample: an array (N clips, K samples,
F frames). A sample's score is the mean over its frames. For each clip, **best-of-K** keeps the
sample that scores best (the model's best guess among K: SVG, SAVP and SRVP report it),
**mean-of-K** averages the K (what a user gets from one draw). Best-of-K alone rewards any
spread, noise included, so both are reported, with the diversity beside them; a model whose
samples do not differ scores the same on both.

Each value's 95% interval is a bootstrap over clips; each point of a per-frame curve gets the
normal interval of a mean over clips, 1.96 standard deviations / sqrt(N), as SVG plots them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vpkit.engine.evaluate.intervals import bootstrap_interval

Z_95 = 1.959964
#: Mean absolute difference (8-bit levels) between two samples below which a model counts as deterministic.
DETERMINISTIC_BELOW = 1e-3


def of_clips(values: np.ndarray, resamples: int) -> dict[str, Any]:
    """Mean of per-clip ``values`` with its bootstrap interval (``ci95``, ``se``)."""
    values = np.asarray(values, dtype=np.float64)
    return {
        "value": float(values.mean()),
        **bootstrap_interval(lambda i: float(values[i].mean()), (len(values),), resamples),
    }


def curve(per_frame: np.ndarray) -> tuple[list[float], list[list[float]]]:
    """The mean over clips of (N, F) scores per frame, and each point's normal 95% interval."""
    mean = per_frame.mean(axis=0)
    half = Z_95 * per_frame.std(axis=0, ddof=1) / np.sqrt(len(per_frame)) if len(per_frame) > 1 else 0 * mean
    return mean.tolist(), np.stack([mean - half, mean + half], axis=1).tolist()


def best_and_mean(scores: np.ndarray, lower_is_better: bool, frames: range, resamples: int) -> dict[str, Any]:
    """``best_of_k`` and ``mean_of_k`` (each a value with its interval) of (N, K, F) scores, and, when the
    metric scores frames (F is the number of ``frames``), both as curves over ``frames``."""
    per_sample = scores.mean(axis=2)  # (N, K)
    pick = per_sample.argmin(axis=1) if lower_is_better else per_sample.argmax(axis=1)
    best_frames = scores[np.arange(len(scores)), pick]  # (N, F)
    mean_frames = scores.mean(axis=1)
    result: dict[str, Any] = {
        "best_of_k": of_clips(best_frames.mean(axis=1), resamples),
        "mean_of_k": of_clips(mean_frames.mean(axis=1), resamples),
    }
    if scores.shape[2] == len(frames) > 1:
        best, best_ci = curve(best_frames)
        mean, mean_ci = curve(mean_frames)
        result["per_frame"] = {
            "frames": list(frames),
            "best_of_k": best,
            "best_of_k_ci95": best_ci,
            "mean_of_k": mean,
            "mean_of_k_ci95": mean_ci,
        }
    return result


def one_video_each(scores: np.ndarray, frames: range) -> tuple[float, dict[str, list] | None]:
    """A baseline's value from (N, 1, F) scores (one video per context), and its curve over ``frames``
    when the metric scores frames."""
    per_frame = scores[:, 0]
    value = float(per_frame.mean(axis=1).mean())
    if per_frame.shape[1] != len(frames) or len(frames) < 2:
        return value, None
    return value, {"frames": list(frames), "mean": per_frame.mean(axis=0).tolist()}


def l1_levels(a, b) -> np.ndarray:
    """Per video, the mean absolute difference of two batches (B, 3, F, H, W) in [-1, 1], in 8-bit levels."""
    return ((a - b).abs().mean(dim=(1, 2, 3, 4)) * 127.5).double().cpu().numpy()


def diversity(l1: np.ndarray, lpips: np.ndarray | None, resamples: int) -> dict[str, Any]:
    """The diversity entry from two samples of each context: mean L1 (8-bit levels) and, when LPIPS is
    evaluated, mean LPIPS between them; the value is LPIPS when there is one. ``deterministic`` when
    the two samples are the same video (best-of-K is then mean-of-K)."""
    l1_result = of_clips(l1, resamples)
    primary = of_clips(lpips, resamples) if lpips is not None else l1_result
    deterministic = bool(l1_result["value"] < DETERMINISTIC_BELOW)
    result: dict[str, Any] = {
        "diversity": primary["value"],
        "ci95": primary["ci95"],
        "se": primary["se"],
        "measure": "lpips" if lpips is not None else "l1",
        "l1": l1_result["value"],
        "l1_ci95": l1_result["ci95"],
        "pairs": len(l1),
        "deterministic": deterministic,
        "between": "samples 0 and 1 of each context, predicted frames only; L1 in 8-bit levels (0..255)",
    }
    if lpips is not None:
        result["lpips"] = primary["value"]
    if deterministic:
        result["note"] = "deterministic: best-of-K = mean-of-K"
    return result
