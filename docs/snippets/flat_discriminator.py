"""A discriminator plugin in one file: average over time, then a small 2-D convnet."""

import torch
from pydantic import Field

from vpkit import Discriminator, Options, hookimpl


class Flat(Discriminator):
    """Judges the mean frame of a video: it sees appearance, never motion."""

    name = "flat"

    class Config(Options):
        channels: int = Field(16, gt=0, description="Channels of the convolution.")

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.net = torch.nn.Sequential(
            torch.nn.Conv2d(3, config.channels, 4, 2, 1),
            torch.nn.LeakyReLU(0.2),
            torch.nn.AdaptiveAvgPool2d(1),
            torch.nn.Flatten(),
            torch.nn.Linear(config.channels, 1),
        )

    def forward(self, video):
        return self.net(video.mean(dim=2)).squeeze(1)  # one logit per video, shape (B,)


@hookimpl
def register_discriminators(register):
    register(Flat)
