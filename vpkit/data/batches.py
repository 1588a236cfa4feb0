"""Data loading, device placement and sampling in one place.

The trainer asks this module for batches and never touches the store, the sampler or the
device itself, so a distributed sampler or a background loader can replace it here without
rewriting the training loop.
"""

from __future__ import annotations

import numpy as np
import torch

from vpkit.data.clips import ClipDataset
from vpkit.video.files import clips_to_tensor


class BatchFeeder:
    """Endless shuffled batches of real clips, float in [-1, 1], (B, 3, T, H, W), on ``device``.

    The order is a pure function of (seed, epoch), and the state is two integers, so a
    resumed run draws exactly the batches an uninterrupted one would have drawn. ``share``
    picks this process's slice of each batch of ``batch_size``: with several processes, each
    draws the same global batch and reads only its own clips, so the clips of a step do not
    depend on the number of processes.
    """

    def __init__(
        self, dataset: ClipDataset, batch_size: int, device: torch.device, seed: int, share: slice = slice(None)
    ):
        if len(dataset) == 0:
            raise ValueError("the clip store has no training clips")
        self.dataset = dataset
        self.batch_size = batch_size
        self.device = device
        self.seed = seed
        self.share = share
        self.epoch = 0
        self.position = 0
        self._order = self._permutation()

    def _permutation(self) -> np.ndarray:
        return np.random.default_rng([self.seed, self.epoch]).permutation(len(self.dataset))

    def next_indices(self) -> np.ndarray:
        """Indices of the next batch; an epoch boundary continues into the next permutation."""
        picked: list[np.ndarray] = []
        needed = self.batch_size
        while needed:
            chunk = self._order[self.position : self.position + needed]
            picked.append(chunk)
            needed -= len(chunk)
            self.position += len(chunk)
            if self.position == len(self._order):
                self.epoch, self.position = self.epoch + 1, 0
                self._order = self._permutation()
        return np.concatenate(picked)

    def next(self) -> torch.Tensor:
        return clips_to_tensor(self.dataset.gather(self.next_indices()[self.share]), self.device)

    def state_dict(self) -> dict[str, int]:
        return {"epoch": self.epoch, "position": self.position}

    def load_state_dict(self, state: dict[str, int]) -> None:
        self.epoch, self.position = int(state["epoch"]), int(state["position"])
        self._order = self._permutation()
