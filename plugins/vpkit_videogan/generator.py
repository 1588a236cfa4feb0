"""The two-stream VideoGAN generator (Vondrick, Pirsiavash, Torralba, NIPS 2016).

A 3-D stream produces a moving foreground ``f`` and a mask ``m``; a 2-D stream produces a
static background ``b``; the video is ``m * f + (1 - m) * b`` with ``b`` repeated over time.
"""

from __future__ import annotations

from typing import ClassVar

import torch
from pydantic import Field
from torch import nn

from vpkit import ClipSpec, Generator, GeneratorOutput, Options
from vpkit_videogan.init import init_weights
from vpkit_videogan.layers import head, trunk
from vpkit_videogan.shapes import CORE_SIZE, Pyramid, PyramidClips


class VideoGANGenerator(PyramidClips, Generator):
    """Unconditional two-stream generator; for 32 frames of 64 x 64 it is the paper's network."""

    name = "videogan"
    conditional = False
    #: The original code gave the generator an extra update every third iteration.
    default_schedule: ClassVar[dict[str, int]] = {"d_steps": 1, "g_steps": 1, "g_extra_every": 3}

    class Config(Options):
        latent_dim: int = Field(100, gt=0, description="Size of the latent vector z.")
        width: float = Field(1.0, gt=0, description="Channel-width multiplier.")
        mask_penalty: float = Field(
            0.1,
            ge=0,
            description="Weight of the L1 sparsity penalty on the mask; 0 disables it.",
        )

    def __init__(self, config: Config, clip: ClipSpec):
        super().__init__(config, clip)
        pyramid = Pyramid.of(clip)
        channels = pyramid.channels(config.width)
        self.foreground = trunk(3, config.latent_dim, channels, (pyramid.depth, CORE_SIZE, CORE_SIZE))
        self.foreground_head = head(3, channels[-1], 3, nn.Tanh())
        self.mask_head = head(3, channels[-1], 1, nn.Sigmoid())
        self.background = nn.Sequential(
            trunk(2, config.latent_dim, channels, (CORE_SIZE, CORE_SIZE)),
            head(2, channels[-1], 3, nn.Tanh()),
        )
        self.apply(init_weights)

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Standard normal latents, drawn on ``generator``'s device and moved to the model's."""
        device = next(self.parameters()).device
        draw_on = generator.device if generator is not None else device
        z = torch.randn(batch_size, self.config.latent_dim, generator=generator, device=draw_on)
        return z.to(device)

    def forward(self, z: torch.Tensor, condition: torch.Tensor | None = None) -> GeneratorOutput:
        """Compose foreground and background through the mask.

        ``losses["mask_l1"]`` is ``mask_penalty * mean(|m|)``. The original Torch code used
        ``nn.L1Penalty``, which sums; the mean keeps ``mask_penalty`` independent of the
        clip size.
        """
        hidden = self.foreground(z.view(*z.shape, 1, 1, 1))
        f = self.foreground_head(hidden)
        m = self.mask_head(hidden)
        b = self.background(z.view(*z.shape, 1, 1))
        video = m * f + (1 - m) * b.unsqueeze(2)
        losses = {}
        if self.config.mask_penalty:
            losses["mask_l1"] = self.config.mask_penalty * m.abs().mean()
        parts = {"foreground": f, "mask": m, "background": b}
        return GeneratorOutput(video=video, parts=parts, losses=losses)
