"""What both VideoGAN generators share: the two-stream composition ``m * f + (1 - m) * b``
with its named parts and the mask penalty (their common options are in ``declarations``).

A subclass builds ``self.foreground_head`` and ``self.mask_head`` (3-D, from the foreground
stream's last hidden volume) and calls :meth:`TwoStreamGenerator.compose` at the end of its
``forward`` with that volume and its static background.
"""

from __future__ import annotations

import torch
from torch import nn

from vpkit import Generator, GeneratorOutput
from vpkit_videogan.declarations import UpsampleMode
from vpkit_videogan.layers import head


class TwoStreamGenerator(Generator):
    def build_heads(self, channels: int, mode: UpsampleMode = "transposed") -> None:
        """The pixel heads of the foreground stream: a colour video ``f`` and a mask ``m``."""
        self.foreground_head = head(3, channels, 3, nn.Tanh(), mode)
        self.mask_head = head(3, channels, 1, nn.Sigmoid(), mode)

    def compose(self, hidden: torch.Tensor, background: torch.Tensor, mask_max: float = 1.0) -> GeneratorOutput:
        """``hidden`` (B, C, T/2, H/2, W/2) and ``background`` (B, 3, H, W) -> the video and its parts;
        the mask is ``mask_max`` times the mask head's sigmoid.

        ``losses["mask_l1"] = mask_penalty * mean(|m|)`` when the penalty is on. The
        original Torch code used ``nn.L1Penalty``, which sums; the mean keeps the weight
        independent of the clip size.
        """
        f = self.foreground_head(hidden)
        m = self.mask_head(hidden) * mask_max
        video = m * f + (1 - m) * background.unsqueeze(2)
        losses = {}
        if self.config.mask_penalty:
            losses["mask_l1"] = self.config.mask_penalty * m.abs().mean()
        parts = {"foreground": f, "mask": m, "background": background}
        return GeneratorOutput(video=video, parts=parts, losses=losses)
