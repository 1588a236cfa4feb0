"""A generator to start from: one linear layer from the latent to every pixel."""

from __future__ import annotations

import torch
from pydantic import Field
from torch import nn

from vpkit import ClipSpec, Generator, GeneratorOutput, Options


class MyGenerator(Generator):
    """Maps a latent vector straight to a video; replace the layer with your model."""

    name = "my_generator"

    class Config(Options):
        latent_dim: int = Field(16, gt=0, description="Size of the latent vector.")

    def __init__(self, config: Config, clip: ClipSpec):
        super().__init__(config, clip)
        self.net = nn.Linear(config.latent_dim, 3 * clip.frames * clip.size * clip.size)

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        z = torch.randn(batch_size, self.config.latent_dim, generator=generator)
        return z.to(self.net.weight.device)

    def forward(self, z: torch.Tensor, condition: torch.Tensor | None = None) -> GeneratorOutput:
        c = self.clip
        video = torch.tanh(self.net(z)).view(-1, 3, c.frames, c.size, c.size)
        return GeneratorOutput(video)
