"""LPIPS (Zhang et al. 2018) through the ``lpips`` package: per frame, averaged.

Frames in [-1, 1] go to ``lpips.LPIPS`` (v0.1 linear layers, which ship with the package)
over an AlexNet (default) or VGG-16 backbone; the score is the mean over frames, then over
videos. The backbone's ImageNet weights are torchvision's, fetched on first use into
``$TORCH_HOME/hub/checkpoints``; offline, the error names the missing file and where it goes.
"""

from __future__ import annotations

import urllib.error
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch

from vpkit import VpkitError, sha256_of
from vpkit_metrics.declarations import LPIPSDeclaration, check_lpips_size
from vpkit_metrics.paired import check_pair
from vpkit_metrics.pretrained import PretrainedNetworkMetric

def backbone_file(net: str) -> tuple[Path, str]:
    """Where torchvision keeps the backbone's ImageNet weights, and their URL."""
    from torchvision.models import AlexNet_Weights, VGG16_Weights

    url = (AlexNet_Weights if net == "alex" else VGG16_Weights).IMAGENET1K_V1.url
    return Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1], url


def load_lpips(net: str):
    import lpips

    path, url = backbone_file(net)
    try:
        with warnings.catch_warnings():  # lpips calls torchvision with the deprecated pretrained=True
            warnings.filterwarnings("ignore", category=UserWarning, module="torchvision")
            return lpips.LPIPS(net=net, version="0.1", verbose=False).eval()
    except (urllib.error.URLError, OSError) as exc:
        if path.is_file():
            raise
        reason = getattr(exc, "reason", None) or exc
        raise VpkitError(
            f"LPIPS ({net}) needs torchvision's ImageNet weights {path.name}, which are not in {path.parent} "
            f"and could not be downloaded ({reason}); download {url} into that folder (or set TORCH_HOME)"
        ) from None


class LPIPS(LPIPSDeclaration, PretrainedNetworkMetric):
    def reset(self) -> None:
        self._scores: list[float] = []

    def load_network(self):
        return load_lpips(self.config.net), sha256_of(backbone_file(self.config.net)[0])

    @torch.no_grad()
    def update(self, real: torch.Tensor, generated: torch.Tensor) -> None:
        check_pair(real, generated)
        check_lpips_size(self.config.net, min(real.shape[-2:]))
        network = self.network()
        b, c, t, h, w = real.shape
        frames = [x.transpose(1, 2).reshape(b * t, c, h, w) for x in (real, generated)]
        distances = []
        for start in range(0, b * t, self.config.batch_size):
            chunk = [f[start : start + self.config.batch_size].to(self.device).float() for f in frames]
            distances.append(network(*chunk, normalize=False).flatten().cpu())
        per_video = torch.cat(distances).view(b, t).mean(dim=1)
        self._scores.extend(per_video.double().tolist())

    def compute(self) -> dict[str, Any]:
        if not self._scores:
            raise ValueError("LPIPS got no videos")
        return {self.name: float(np.mean(self._scores)), "videos": len(self._scores), "std": float(np.std(self._scores)),
                "net": self.config.net, "version": "0.1", "backbone_sha256": self.weights_sha256,
                "inputs": "RGB frames in [-1, 1]"}
