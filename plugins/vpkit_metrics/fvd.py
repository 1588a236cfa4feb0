"""Fréchet Video Distance (Unterthiner et al. 2018) with the reference's preprocessing.

Protocol, as the TF reference (google-research ``frechet_video_distance``): videos as 8-bit
RGB (inputs in [-1, 1] are quantised to 8 bits first, as a saved video would be), every
frame resized to 224 x 224 with TF1 bilinear resizing (:mod:`vpkit_metrics.tf_resize`),
values scaled to [-1, 1], features are the 400 Kinetics logits of I3D averaged over time,
and the distance is the Fréchet distance between Gaussians with unbiased (N - 1)
covariances (:mod:`vpkit_metrics.frechet`). Clips need at least 9 frames. FVD is biased
upwards at small N; results below ``warn_below`` videos per set carry a warning.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from vpkit import bootstrap_interval
from vpkit_metrics.declarations import FVDDeclaration
from vpkit_metrics.frechet import Gaussian, frechet_distance, frechet_distance_of_features
from vpkit_metrics.i3d import INPUT_SIZE, NUM_CLASSES
from vpkit_metrics.i3d_fast import FastI3D
from vpkit_metrics.i3d_weights import I3D_WEIGHTS, REFERENCE_SHA256, load_i3d, weights_path
from vpkit_metrics.pretrained import PretrainedNetworkMetric
from vpkit_metrics.tf_resize import resize_bilinear

PREPROCESSING = "8-bit RGB, TF1 bilinear resize to 224x224, scaled to [-1, 1]"


def preprocess(videos: torch.Tensor) -> torch.Tensor:
    """(B, 3, T, H, W) in [-1, 1] -> I3D input (B, 3, T, 224, 224) in [-1, 1]."""
    levels = videos.float().add(1).mul(127.5).round().clamp(0, 255)
    return resize_bilinear(levels, (INPUT_SIZE, INPUT_SIZE)).div(127.5).sub(1)


class FVD(FVDDeclaration, PretrainedNetworkMetric):
    weights = (I3D_WEIGHTS,)

    def reset(self) -> None:
        self._features: dict[str, list[np.ndarray]] = {"real": [], "generated": []}
        self._real_loaded = False

    def load_network(self) -> tuple[FastI3D, str]:
        path = weights_path(self.config.weights, self.config.weights_url, self.config.weights_sha256)
        reference, sha256 = load_i3d(path, self.device)
        return FastI3D(reference), sha256

    @torch.no_grad()
    def features(self, videos: torch.Tensor) -> np.ndarray:
        """I3D logits averaged over time, (B, 400) float64."""
        network = self.network()
        out = []
        for start in range(0, len(videos), self.config.batch_size):
            batch = preprocess(videos[start : start + self.config.batch_size].to(self.device))
            out.append(network(batch).double().cpu().numpy())
        return np.concatenate(out)

    def update(self, real: torch.Tensor | None, generated: torch.Tensor | None) -> None:
        for side, videos in (("real", real), ("generated", generated)):
            if videos is not None and len(videos):
                self._features[side].append(self.features(videos))

    def real_key(self) -> dict[str, Any]:
        self.network()
        return {
            "features": "i3d-kinetics-400 logits, mean over time",
            "preprocessing": PREPROCESSING,
            "weights_sha256": self.weights_sha256,
            "state": "features",
        }

    def real_state(self) -> dict[str, np.ndarray]:
        """The real set's features (the bootstrap resamples them; the Gaussian is fitted from them)."""
        return {"features": self._all("real")}

    def load_real_state(self, state: dict[str, np.ndarray]) -> None:
        features = np.asarray(state["features"], dtype=np.float64)
        if features.ndim != 2 or features.shape[1] != NUM_CLASSES or len(features) < 2:
            raise ValueError(
                f"features of shape {features.shape} are not {NUM_CLASSES} I3D features of 2 or more videos"
            )
        self._features["real"] = [features]
        self._real_loaded = True

    def shard_state(self) -> dict[str, np.ndarray]:
        fed = ["generated"] if self._real_loaded else ["real", "generated"]
        return {
            side: np.concatenate(self._features[side]) if self._features[side] else np.zeros((0, NUM_CLASSES))
            for side in fed
        }

    def merge_shards(self, shards: list[dict[str, np.ndarray]]) -> None:
        for side in ("real", "generated"):
            if not (side == "real" and self._real_loaded):
                self._features[side] = [shard[side] for shard in shards if len(shard[side])]

    def _all(self, side: str) -> np.ndarray:
        videos = sum(len(features) for features in self._features[side])
        if videos < 2:
            raise ValueError(f"FVD needs at least 2 {side} videos to fit a covariance, got {videos}")
        return np.concatenate(self._features[side])

    def compute(self) -> dict[str, Any]:
        real, generated = Gaussian.fit(self._all("real")), Gaussian.fit(self._all("generated"))
        result: dict[str, Any] = {
            self.name: frechet_distance(real, generated),
            "real_videos": real.count,
            "generated_videos": generated.count,
            "features": "i3d-kinetics-400 logits, mean over time",
            "preprocessing": PREPROCESSING,
            "covariance": "unbiased (N - 1)",
            "weights_sha256": self.weights_sha256,
        }
        if self.weights_sha256 not in REFERENCE_SHA256:
            result["warning"] = (
                "I3D weights differ from the pinned reference file; FVD is not comparable with published numbers"
            )
        smallest = min(real.count, generated.count)
        if smallest < self.config.warn_below:
            note = (
                f"FVD from {smallest} videos is biased upwards; "
                f"compare only at equal N (>= {self.config.warn_below} advised)"
            )
            result["warning"] = f"{result['warning']}; {note}" if "warning" in result else note
        return result

    def interval(self, resamples: int) -> dict[str, Any]:
        """Real and generated videos resampled independently; the low end stops at 0, as FVD does."""
        real, generated = self._all("real"), self._all("generated")
        result = bootstrap_interval(
            lambda i, j: frechet_distance_of_features(real[i], generated[j]), (len(real), len(generated)), resamples
        )
        result["ci95"][0] = max(result["ci95"][0], 0.0)
        return result
