"""The VideoGAN discriminator: a 3-D convolutional mirror of the generator's foreground stream,
with an optional 2-D frame discriminator beside it."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from vpkit import ClipSpec, Discriminator
from vpkit_videogan.declarations import VideoGANDiscriminatorDeclaration
from vpkit_videogan.init import init_weights
from vpkit_videogan.shapes import CORE_SIZE, Pyramid

_CONV = {2: nn.Conv2d, 3: nn.Conv3d}
_NORM = {2: nn.BatchNorm2d, 3: nn.BatchNorm3d}


def critic(dims: int, channels: list[int], core: tuple[int, ...], spectral: bool) -> nn.Sequential:
    """Strided ``dims``-D convolutions with leaky ReLU, as in DCGAN, then one logit from the ``core`` volume;
    batch norm (the paper) or spectral norm between them."""
    conv, norm = _CONV[dims], _NORM[dims]
    # As in DCGAN, no batch norm on the layer that sees pixels.
    layers: list[nn.Module] = [conv(3, channels[0], 4, 2, 1), nn.LeakyReLU(0.2, True)]
    for c_in, c_out in zip(channels, channels[1:], strict=False):
        hidden = [conv(c_in, c_out, 4, 2, 1, bias=spectral)] + ([] if spectral else [norm(c_out)])
        layers += [*hidden, nn.LeakyReLU(0.2, True)]
    layers.append(conv(channels[-1], 1, core))
    net = nn.Sequential(*layers)
    net.apply(init_weights)
    if spectral:  # after the initialisation: the parametrisation rescales whatever weights it wraps
        for index, layer in enumerate(net):
            if isinstance(layer, conv):
                net[index] = spectral_norm(layer)
    return net


class VideoGANDiscriminator(VideoGANDiscriminatorDeclaration, Discriminator):
    """The paper's 3-D discriminator; with ``frames`` > 0 a 2-D one on that many random frames of each clip."""

    def __init__(self, config: VideoGANDiscriminatorDeclaration.Config, clip: ClipSpec):
        super().__init__(config, clip)
        pyramid = Pyramid.of(clip)
        channels = pyramid.channels(config.width)[::-1]
        spectral = config.norm == "spectral"
        self.net = critic(3, channels, (pyramid.depth, CORE_SIZE, CORE_SIZE), spectral)
        if config.frames:
            self.frame_net = critic(2, channels, (CORE_SIZE, CORE_SIZE), spectral)

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        logits = self.net(video).flatten()
        if not self.config.frames:
            return logits
        return logits + self.frame_logits(video).mean(dim=1)

    def frame_logits(self, video: torch.Tensor) -> torch.Tensor:
        """The 2-D discriminator's logits (B, frames) of random frames of each clip, drawn with replacement."""
        b, c, t, h, w = video.shape
        picked = torch.randint(t, (b, self.config.frames), device=video.device)
        frames = video.transpose(1, 2)[torch.arange(b, device=video.device)[:, None], picked]  # 'b n c h w'
        return self.frame_net(frames.reshape(-1, c, h, w)).view(b, -1)
