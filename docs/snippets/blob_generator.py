"""A generator plugin in one file: a linear layer from the latent to every pixel."""

import torch
from pydantic import Field

from vpkit import Generator, GeneratorOutput, Options, hookimpl


class Blob(Generator):
    """The smallest generator that keeps the contract: (B, 3, T, H, W) in [-1, 1]."""

    name = "blob"

    class Config(Options):
        latent_dim: int = Field(8, gt=0, description="Size of the latent vector.")

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.net = torch.nn.Linear(config.latent_dim, 3 * clip.frames * clip.size * clip.size)

    def sample_latent(self, batch_size, generator=None):
        z = torch.randn(batch_size, self.config.latent_dim, generator=generator)
        return z.to(self.net.weight.device)

    def forward(self, z, condition=None):
        c = self.clip
        video = torch.tanh(self.net(z)).view(-1, 3, c.frames, c.size, c.size)
        return GeneratorOutput(video, parts={"first_frame": video[:, :, 0]})


@hookimpl
def register_generators(register):
    register(Blob)
