"""An exponential moving average of the generator's weights (as in progressive GANs and StyleGAN).

The average moves less from step to step than the weights the optimiser updates, so its
samples are steadier and usually better. The trainer keeps both: the optimiser trains the
live generator, and the average is what samples, evaluation and ``load_generator`` use.
"""

from __future__ import annotations

import copy

import torch
from torch import nn


class WeightAverage:
    """``average = decay * average + (1 - decay) * weights`` after every generator update.

    Buffers (batch-norm running statistics) are not averaged but copied: they are statistics
    of the live generator's activations already.
    """

    def __init__(self, model: nn.Module, decay: float):
        self.decay = decay
        self.model = copy.deepcopy(model).eval().requires_grad_(False)

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        for average, weights in zip(self.model.parameters(), model.parameters(), strict=False):
            average.lerp_(weights, 1 - self.decay)
        for average, buffer in zip(self.model.buffers(), model.buffers(), strict=False):
            average.copy_(buffer)
