"""The VideoGAN discriminator: a 3-D convolutional mirror of the generator's foreground stream."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from vpkit import ClipSpec, Discriminator
from vpkit_videogan.declarations import VideoGANDiscriminatorDeclaration
from vpkit_videogan.init import init_weights
from vpkit_videogan.shapes import CORE_SIZE, Pyramid


class VideoGANDiscriminator(VideoGANDiscriminatorDeclaration, Discriminator):
    """Strided 3-D convolutions with leaky ReLU, as in DCGAN; batch norm (the paper) or spectral norm between them."""

    def __init__(self, config: VideoGANDiscriminatorDeclaration.Config, clip: ClipSpec):
        super().__init__(config, clip)
        pyramid = Pyramid.of(clip)
        channels = pyramid.channels(config.width)[::-1]
        spectral = config.norm == "spectral"
        # As in DCGAN, no batch norm on the layer that sees pixels.
        layers: list[nn.Module] = [nn.Conv3d(3, channels[0], 4, 2, 1), nn.LeakyReLU(0.2, True)]
        for c_in, c_out in zip(channels, channels[1:], strict=False):
            hidden = [nn.Conv3d(c_in, c_out, 4, 2, 1, bias=spectral)] + ([] if spectral else [nn.BatchNorm3d(c_out)])
            layers += [*hidden, nn.LeakyReLU(0.2, True)]
        layers.append(nn.Conv3d(channels[-1], 1, (pyramid.depth, CORE_SIZE, CORE_SIZE)))
        self.net = nn.Sequential(*layers)
        self.apply(init_weights)
        if spectral:  # after the initialisation: the parametrisation rescales whatever weights it wraps
            for index, layer in enumerate(self.net):
                if isinstance(layer, nn.Conv3d):
                    self.net[index] = spectral_norm(layer)

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        return self.net(video).flatten()
