"""The base of metrics that run a pretrained network (FVD's I3D, LPIPS's backbone).

The network is loaded once, when first needed: ``prepare`` loads it before any work starts,
so a missing weights file fails early. Each result records the SHA-256 of the weights used.
"""

from __future__ import annotations

from torch import nn

from vpkit import Metric


class PretrainedNetworkMetric(Metric):
    def __init__(self, config, clip):
        super().__init__(config, clip)
        self._network: nn.Module | None = None
        self.weights_sha256 = ""
        self.reset()

    def load_network(self) -> tuple[nn.Module, str]:
        """The network in eval mode, and the SHA-256 of its weights file."""
        raise NotImplementedError

    def prepare(self) -> None:
        self.network()

    def network(self) -> nn.Module:
        if self._network is None:
            self._network, self.weights_sha256 = self.load_network()
        return self._network.to(self.device)
