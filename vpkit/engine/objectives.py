"""Generator objectives beside the adversarial loss, for any model.

The reconstruction loss compares a conditional generator's whole prediction with the real clip
whose first frame conditioned it. It is what makes a small conditional model beat the
copy-the-first-frame baseline within a CPU budget (issue 10): the adversarial loss alone does
not tell the generator which future goes with its input frame.
"""

from __future__ import annotations

import torch

#: Reconstruction distances by the names the run file uses (``train.reconstruction.loss``).
DISTANCES = {
    "l1": lambda prediction, real: (prediction - real).abs().mean(),
    "l2": lambda prediction, real: (prediction - real).pow(2).mean(),
}


def reconstruction_loss(prediction: torch.Tensor, real: torch.Tensor, distance: str) -> torch.Tensor:
    """Mean ``distance`` ("l1" or "l2") over every pixel of every frame of two (B, 3, T, H, W) videos."""
    if prediction.shape != real.shape:
        raise ValueError(f"prediction {tuple(prediction.shape)} and real clip {tuple(real.shape)} differ in shape")
    return DISTANCES[distance](prediction, real)
