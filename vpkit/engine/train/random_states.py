"""The random-number states a checkpoint keeps, so that a resumed run draws what an unbroken one would:
torch's (CPU and every CUDA device) and the batch feeder's."""

from __future__ import annotations

import torch

from vpkit.data.batches import BatchFeeder


def capture(feeder: BatchFeeder) -> dict:
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "feeder": feeder.state_dict(),
    }


def restore(states: dict, feeder: BatchFeeder) -> None:
    torch.set_rng_state(states["torch"].cpu())
    if states["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in states["cuda"]])
    feeder.load_state_dict(states["feeder"])
