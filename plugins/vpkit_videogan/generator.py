"""The two-stream VideoGAN generator (Vondrick, Pirsiavash, Torralba, NIPS 2016).

A 3-D stream produces a moving foreground ``f`` and a mask ``m``; a 2-D stream produces a
static background ``b``; the video is ``m * f + (1 - m) * b`` with ``b`` repeated over time.
"""

from __future__ import annotations

import torch
from torch import nn

from vpkit import ClipSpec, GeneratorOutput
from vpkit_videogan.declarations import VideoGANGeneratorDeclaration
from vpkit_videogan.layers import head, trunk
from vpkit_videogan.shapes import CORE_SIZE, Pyramid
from vpkit_videogan.two_stream import TwoStreamGenerator


class VideoGANGenerator(VideoGANGeneratorDeclaration, TwoStreamGenerator):
    """Both streams start from the same latent ``z``: a 3-D one for ``f`` and ``m``, a 2-D one for ``b``."""

    def __init__(self, config: VideoGANGeneratorDeclaration.Config, clip: ClipSpec):
        super().__init__(config, clip)
        pyramid = Pyramid.of(clip)
        channels = pyramid.channels(config.width)
        mode = config.upsample
        self.foreground = trunk(3, config.latent_dim, channels, (pyramid.depth, CORE_SIZE, CORE_SIZE), mode)
        self.build_heads(channels[-1], mode)
        self.background = nn.Sequential(
            trunk(2, config.latent_dim, channels, (CORE_SIZE, CORE_SIZE), mode),
            head(2, channels[-1], 3, nn.Tanh(), mode),
        )
        self.initialise()

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Standard normal latents, drawn on ``generator``'s device and moved to the model's."""
        device = next(self.parameters()).device
        draw_on = generator.device if generator is not None else device
        z = torch.randn(batch_size, self.config.latent_dim, generator=generator, device=draw_on)
        return z.to(device)

    def forward(self, z: torch.Tensor, condition: torch.Tensor | None = None) -> GeneratorOutput:
        """Both streams from the same ``z``, composed through the mask."""
        hidden = self.foreground(z.view(*z.shape, 1, 1, 1))
        b = self.background(z.view(*z.shape, 1, 1))
        return self.compose(hidden, b)
