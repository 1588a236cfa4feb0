"""Generator objectives beside the adversarial loss, for any model.

The reconstruction loss compares a conditional generator's whole prediction with the real clip
whose first frame conditioned it. It is what makes a small conditional model beat the
copy-the-first-frame baseline within a CPU budget (issue 10): the adversarial loss alone does
not tell the generator which future goes with its input frame. A pixel distance alone is
minimised by blurring what it cannot predict; the gradient-difference loss of Mathieu, Couprie
and LeCun ("Deep multi-scale video prediction beyond mean square error", ICLR 2016) beside it
asks the prediction's edges to be as sharp as the real clip's.
"""

from __future__ import annotations

import torch

#: Reconstruction distances by the names the run file uses (``train.reconstruction.loss``).
DISTANCES = {
    "l1": lambda prediction, real: (prediction - real).abs().mean(),
    "l2": lambda prediction, real: (prediction - real).pow(2).mean(),
}


def reconstruction_loss(prediction: torch.Tensor, real: torch.Tensor, distance: str, gradient: float = 0.0) -> torch.Tensor:
    """Mean ``distance`` ("l1" or "l2") over every pixel of every frame of two (B, 3, T, H, W) videos,
    plus ``gradient`` times their :func:`gradient_difference`."""
    if prediction.shape != real.shape:
        raise ValueError(f"prediction {tuple(prediction.shape)} and real clip {tuple(real.shape)} differ in shape")
    loss = DISTANCES[distance](prediction, real)
    if gradient:
        loss = loss + gradient * gradient_difference(prediction, real)
    return loss


def gradient_difference(prediction: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Mathieu et al.'s gradient-difference loss with alpha = 1, as a mean: ``| |dY| - |dŶ| |`` over the
    differences between neighbouring pixels, along height and width, of every frame of two (..., H, W) videos.

    It is zero for any prediction whose edges have the real clip's strengths where the real
    clip has them, so unlike a pixel distance it does not reward a blur.
    """
    loss = prediction.new_zeros(())
    for axis in (-2, -1):
        loss = loss + (real.diff(dim=axis).abs() - prediction.diff(dim=axis).abs()).abs().mean()
    return loss
