"""What both VideoGAN generators share: the two-stream composition ``m * f + (1 - m) * b``
with its named parts and the mask penalty (their common options are in ``declarations``).

A subclass builds ``self.foreground_head`` and ``self.mask_head`` (3-D, from the foreground
stream's last hidden volume) with :meth:`TwoStreamGenerator.build_heads`, then its other layers,
then calls :meth:`TwoStreamGenerator.initialise`; its ``forward`` ends with
:meth:`TwoStreamGenerator.compose` of that volume and its static background.
"""

from __future__ import annotations

import torch
from torch import nn

from vpkit import Generator, GeneratorOutput
from vpkit_videogan.declarations import UpsampleMode
from vpkit_videogan.init import init_weights
from vpkit_videogan.layers import head


class TwoStreamGenerator(Generator):
    def build_heads(
        self, channels: int, mode: UpsampleMode = "transposed", colour: bool = True, mask: bool = True
    ) -> None:
        """The pixel heads of the foreground stream: a colour video ``f`` and a mask ``m`` (each unless
        ``colour`` or ``mask`` is False: the subclass then makes it otherwise)."""
        if colour:
            self.foreground_head = head(3, channels, 3, nn.Tanh(), mode)
        if mask:
            self.mask_head = head(3, channels, 1, nn.Sigmoid(), mode)

    def initialise(self) -> None:
        """The weights of ``config.init`` everywhere, then the mask logits' bias ``config.mask_bias``
        (the mask head's convolution is ``mask_head[-2]``, see ``layers.head``)."""
        if self.config.init == "paper":
            self.apply(init_weights)
        if hasattr(self, "mask_head"):
            nn.init.constant_(self.mask_head[-2].bias, self.config.mask_bias)

    def compose(
        self,
        hidden: torch.Tensor,
        background: torch.Tensor,
        mask_max: float = 1.0,
        foreground: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
    ) -> GeneratorOutput:
        """``hidden`` (B, C, T/2, H/2, W/2) and ``background`` (B, 3, H, W) -> the video and its parts;
        the mask is ``mask_max`` times ``mask`` (B, 1, T, H, W) when given, else times the mask head's
        sigmoid; the foreground is ``foreground`` (B, 3, T, H, W) when given, else the foreground head's.

        ``losses["mask_l1"] = mask_penalty * mean(|m|)`` when the penalty is on. The
        original Torch code used ``nn.L1Penalty``, which sums; the mean keeps the weight
        independent of the clip size.
        """
        f = self.foreground_head(hidden) if foreground is None else foreground
        m = (self.mask_head(hidden) if mask is None else mask) * mask_max
        video = m * f + (1 - m) * background.unsqueeze(2)
        losses = {}
        if self.config.mask_penalty:
            losses["mask_l1"] = self.config.mask_penalty * m.abs().mean()
        parts = {"foreground": f, "mask": m, "background": background}
        return GeneratorOutput(video=video, parts=parts, losses=losses)
