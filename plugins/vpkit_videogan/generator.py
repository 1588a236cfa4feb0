"""The two-stream VideoGAN generator (Vondrick, Pirsiavash, Torralba, NIPS 2016).

A 3-D stream produces a moving foreground ``f`` and a mask ``m``; a 2-D stream produces a
static background ``b``; the video is ``m * f + (1 - m) * b`` with ``b`` repeated over time.
With ``foreground: velocity`` the 3-D stream paints no pixels: ``f`` is ``b`` warped by a
velocity field that it predicts (``warp.VelocityHead``), so a frame's content is the
background's, carried along, and only the mask can make it change from frame to frame.
"""

from __future__ import annotations

import torch
from torch import nn

from vpkit import ClipSpec, GeneratorOutput
from vpkit_videogan.declarations import VideoGANGeneratorDeclaration
from vpkit_videogan.layers import head, trunk
from vpkit_videogan.shapes import CORE_SIZE, Pyramid
from vpkit_videogan.splat import SplatHead, inpaint_behind, speed_bound
from vpkit_videogan.two_stream import TwoStreamGenerator
from vpkit_videogan.warp import VelocityHead


class VideoGANGenerator(VideoGANGeneratorDeclaration, TwoStreamGenerator):
    """Both streams start from the same latent ``z``: a 3-D one for ``f`` and ``m``, a 2-D one for ``b``."""

    def __init__(self, config: VideoGANGeneratorDeclaration.Config, clip: ClipSpec):
        super().__init__(config, clip)
        pyramid = Pyramid.of(clip)
        channels = pyramid.channels(config.width)
        mode = config.upsample
        self.foreground = trunk(3, config.latent_dim, channels, (pyramid.depth, CORE_SIZE, CORE_SIZE), mode)
        carried = config.foreground != "generated"
        splatted = config.foreground == "splatted"
        self.build_heads(channels[-1], mode, colour=not carried, mask=not splatted)
        if config.foreground == "velocity":
            self.warp = VelocityHead(channels[-1], mode, origin=(clip.frames - 1) / 2)
        elif splatted:
            speed = speed_bound(config.max_speed, clip.size)
            self.warp = SplatHead(
                channels[-1], mode, 1, config.mask_bias, max_speed=speed, pooling=config.velocity_pooling
            )
        self.background = nn.Sequential(
            trunk(2, config.latent_dim, channels, (CORE_SIZE, CORE_SIZE), mode),
            head(2, channels[-1], 3, nn.Tanh(), mode),
        )
        if splatted:  # what the moving pixels leave behind, in-painted from the background's features
            self.inpaint = head(2, channels[-1], 3, nn.Identity(), mode)
        self.initialise()
        if carried:
            self.warp.start_still()
        if splatted:
            nn.init.zeros_(self.inpaint[-2].weight)
            nn.init.zeros_(self.inpaint[-2].bias)

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Standard normal latents, drawn on ``generator``'s device and moved to the model's."""
        device = next(self.parameters()).device
        draw_on = generator.device if generator is not None else device
        z = torch.randn(batch_size, self.config.latent_dim, generator=generator, device=draw_on)
        return z.to(device)

    def forward(self, z: torch.Tensor, condition: torch.Tensor | None = None) -> GeneratorOutput:
        """Both streams from the same ``z``, composed through the mask (for ``splatted``, the coverage of the
        carried pixels over the background with the ground they leave in-painted; ``parts["first"]`` is the
        generated first frame)."""
        hidden = self.foreground(z.view(*z.shape, 1, 1, 1))
        features = self.background[0](z.view(*z.shape, 1, 1))
        b = self.background[1](features)
        kind = self.config.foreground
        if kind == "generated":
            return self.compose(hidden, b)
        if kind == "velocity":
            foreground, flow = self.warp(hidden, b)
            output = self.compose(hidden, b, foreground=foreground)
        else:
            foreground, coverage, flow, moving = self.warp(hidden, b.unsqueeze(2))
            left = inpaint_behind(b, moving, self.inpaint(features))  # the ground the movers leave, in-painted
            output = self.compose(hidden, left, foreground=foreground, mask=coverage)
            output.parts["first"] = b
        output.parts["flow"] = flow
        return output
