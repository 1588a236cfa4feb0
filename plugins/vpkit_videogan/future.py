"""The conditional VideoGAN: the future of a single frame (Vondrick et al., NIPS 2016, section 4.3).

An encoder turns the input frame into a ``c x 4 x 4`` code. With ``clip.context`` k > 1 the
k context frames are stacked on the channel axis (3k channels, colour-major: ``(B, 3, k, H, W)``
flattened to ``(B, 3k, H, W)``) into the same encoder, whose first convolution alone grows, so
the code sees how things moved; the background and the ``input`` backgrounds start from the
last context frame, the one the future continues. For k = 1 the network is the paper's. A 2-D stream decodes the code
into a static background ``b``; a 3-D stream views the code as ``c x 1 x 4 x 4``, stretches
it over time with a ``t0 x 1 x 1`` transposed convolution and decodes a moving foreground
``f`` and a mask ``m``; the video is ``m * f + (1 - m) * b``. As in the reference code
(``main_conditional.lua``) the model takes no noise by default: the prediction is a function of
the frame alone, so ``sample_latent`` returns an empty ``(B, 0)`` tensor.

Two options let it predict more than one future, and move what it sees: ``noise``
adds a linear map of a per-clip latent ``z`` to the code that the moving stream decodes (the
background stays a function of the frame), so that with the trainer's best-of-K reconstruction
(``train.reconstruction.samples``) the samples can cover several futures instead of their
average; ``foreground: warped`` replaces the painted foreground by the last context frame
warped with a predicted flow (``warp``), so that what moves keeps its look; ``foreground: velocity``
warps it with one velocity field times the frames since it (a constant-velocity prior), and
``foreground: splatted`` carries its moving pixels forward by such a field (``splat``). With it,
``background: inpainted`` keeps every pixel of the last context frame that does not move away and
in-paints only those that do, so that a player can leave its place but cannot be erased where it stands.
With ``fill_radius`` that in-painting starts from the still ground around each hole, not from the
mover's own colours.

The defaults are faithful to Vondrick et al.: a learned background, the paper's N(0, 0.01)
initialisation, no skip connections. Three options turn it into a model that starts as the
copy-the-first-frame baseline and only learns what moves:
``background: input_residual`` (the input frame plus a learned residual that starts at zero),
a negative ``mask_bias`` (the mask starts near 0, so the video starts as that background) and
``skips`` (encoder features added to the decoder's, U-Net style, so the mask can follow
the small moving objects at full resolution). ``mask_max`` below 1 bounds the mask, so that
what one frame cannot predict (where a player goes next) fades part of the way instead of being
erased into the blur that a pixel loss converges to (``examples/future_quickstart.yaml`` uses the
splatted foreground, the in-painted background and ``velocity_noise`` instead). ``upsample: resize``
swaps every strided transposed convolution of the decoders for a resize and a convolution (see
``layers``).
"""

from __future__ import annotations

import torch
from torch import nn

from vpkit import ClipSpec, GeneratorOutput
from vpkit_videogan.declarations import VideoGANFutureGeneratorDeclaration
from vpkit_videogan.layers import encoder, head, trunk, upsample
from vpkit_videogan.shapes import CORE_SIZE, Pyramid
from vpkit_videogan.splat import SplatHead, inpaint_behind, speed_bound
from vpkit_videogan.two_stream import TwoStreamGenerator
from vpkit_videogan.warp import VelocityHead, WarpHead


class VideoGANFutureGenerator(VideoGANFutureGeneratorDeclaration, TwoStreamGenerator):
    """An encoder turns the frame into a code that both streams decode; no noise (see the module docstring)."""

    def __init__(self, config: VideoGANFutureGeneratorDeclaration.Config, clip: ClipSpec):
        super().__init__(config, clip)
        pyramid = Pyramid.of(clip)
        channels = pyramid.channels(config.width)
        code = channels[0]
        mode = config.upsample
        self.encoder = encoder(channels[::-1], 3 * clip.context)
        self.foreground = trunk(3, code, channels, (pyramid.depth, 1, 1), mode)
        warped = config.foreground != "generated"
        splatted = config.foreground == "splatted"
        self.build_heads(channels[-1], mode, colour=not warped, mask=not splatted)
        if config.foreground == "warped":
            self.warp = WarpHead(channels[-1], mode)
        elif config.foreground == "velocity":
            self.warp = VelocityHead(channels[-1], mode, origin=clip.context - 1)
        elif splatted:
            self.warp = SplatHead(
                channels[-1],
                mode,
                clip.context,
                config.mask_bias,
                config.matched_motion,
                speed_bound(config.max_speed, clip.size),
                config.velocity_pooling,
                config.noise,
                config.velocity_noise,
                config.hard_mask,
            )
        if config.noise:
            # z -> one more code of the same shape, added to the one the moving stream decodes
            self.noise_in = nn.Linear(config.noise, code * CORE_SIZE * CORE_SIZE)
        self.infers_latent = config.posterior
        if config.posterior:
            self.posterior = Posterior(channels[::-1], clip.frames, code * CORE_SIZE * CORE_SIZE, config.noise)
        if config.background != "input":
            activation = nn.Tanh() if config.background == "learned" else nn.Identity()
            self.background = nn.Sequential(*upsample(2, channels, mode), head(2, channels[-1], 3, activation, mode))
        self.initialise()
        if warped:
            self.warp.start_still()
        if config.background in ("input_residual", "inpainted"):
            last = self.background[-1][-2]
            nn.init.zeros_(last.weight)
            nn.init.zeros_(last.bias)

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Standard normal ``(batch_size, noise)`` latents on the model's device (empty without noise)."""
        device = next(self.parameters()).device
        draw_on = generator.device if generator is not None else device
        return torch.randn(batch_size, self.config.noise, generator=generator, device=draw_on).to(device)

    def forward(
        self, z: torch.Tensor, condition: torch.Tensor | None = None, real: torch.Tensor | None = None
    ) -> GeneratorOutput:
        """Predict the clip that starts with the context frames ``condition`` (B, 3, k, H, W) in [-1, 1];
        ``z`` (B, noise) moves the moving stream (with ``noise: 0`` it is empty). With ``posterior`` and
        the real clip ``real`` (training), z is drawn from the posterior over ``real`` instead.

        ``losses["context"]`` is ``context_weight * mean |video[:, :, :k] - condition|``;
        ``losses["mask_l1"]`` is ``mask_penalty * mean(|m|)`` when the penalty is on;
        ``losses["kl"]`` is ``kl_weight`` times the posterior's KL divergence from N(0, I), per clip;
        ``losses["flow_smoothness"]`` is ``flow_smoothness`` times the flow's :func:`total_variation`.
        """
        if condition is None:
            raise ValueError(f"{self.name} is conditional: forward needs the context frames")
        kl = None
        if self.config.posterior and real is not None:
            z, kl = self.posterior(real)
        last = condition[:, :, -1]
        features = encode(self.encoder, condition.flatten(1, 2))
        code = features[-1]
        skips = features[::-1] if self.config.skips else []
        moving = code + self.noise_in(z).view_as(code) if self.config.noise else code
        hidden = decode(self.foreground, moving.unsqueeze(2), skips)
        foreground, coverage, flow, moving = self.moving_pixels(hidden, condition, z)
        background = self.static_background(last, code, skips[1:], moving)
        output = self.compose(hidden, background, self.config.mask_max, foreground, coverage)
        if flow is not None:
            output.parts["flow"] = flow
            if self.config.flow_smoothness:
                output.losses["flow_smoothness"] = self.config.flow_smoothness * total_variation(flow)
        if self.config.context_weight:
            output.losses["context"] = self.config.context_weight * context_error(output.video, condition)
        if kl is not None:
            output.losses["kl"] = self.config.kl_weight * kl
        return output

    def moving_pixels(self, hidden: torch.Tensor, context: torch.Tensor, z: torch.Tensor):
        """The foreground, the mask, the flow and the splatted foreground's moving mask (the pixels of the last
        context frame that move away) that the ``foreground`` option makes of the context frames (None for what
        the heads of the two-stream network make instead, and for the moving mask of the other foregrounds)."""
        kind = self.config.foreground
        if kind == "generated":
            return None, None, None, None
        if kind == "splatted":
            return self.warp(hidden, context, z)
        foreground, flow = self.warp(hidden, context[:, :, -1])
        return foreground, None, flow, None

    def static_background(
        self, frame: torch.Tensor, code: torch.Tensor, skips: list[torch.Tensor], moving: torch.Tensor | None
    ) -> torch.Tensor:
        """The background (B, 3, H, W); ``frame`` is the last context frame, ``moving`` (B, 1, H, W) which of
        its pixels the splatted foreground carries away (for ``inpainted``)."""
        if self.config.background == "input":
            return frame
        decoded = decode(self.background, code, skips)
        if self.config.background == "learned":
            return decoded
        if self.config.background == "inpainted":
            return inpaint_behind(frame, moving, decoded, self.config.fill_radius)
        return (frame + decoded).clamp(-1, 1)


class Posterior(nn.Module):
    """q(z | clip): the frames of the real clip stacked on the channel axis, encoded like the context
    frames, then a linear map to the mean and log-variance of a diagonal Gaussian over z."""

    def __init__(self, channels: list[int], frames: int, code_size: int, noise: int):
        super().__init__()
        self.encoder = encoder(channels, 3 * frames)
        self.out = nn.Linear(code_size, 2 * noise)

    def forward(self, clip: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """A reparameterised draw of z (B, noise) for ``clip`` (B, 3, T, H, W), and the mean over the batch of
        KL(q(z | clip) || N(0, I)) in nats."""
        mean, log_variance = self.out(self.encoder(clip.flatten(1, 2)).flatten(1)).chunk(2, dim=1)
        z = mean + torch.randn_like(mean) * (0.5 * log_variance).exp()
        kl = 0.5 * (mean.pow(2) + log_variance.exp() - log_variance - 1).sum(1).mean()
        return z, kl


def encode(encoder: nn.Sequential, image: torch.Tensor) -> list[torch.Tensor]:
    """The encoder's feature maps after each ReLU, finest first; the last is the code."""
    features = []
    for layer in encoder:
        image = layer(image)
        if isinstance(layer, nn.ReLU):
            features.append(image)
    return features


def decode(stack: nn.Sequential, x: torch.Tensor, skips: list[torch.Tensor]) -> torch.Tensor:
    """Run ``stack``, adding ``skips`` (coarsest first, 2-D; broadcast over time in a 3-D stream)
    after each ReLU while any are left; with no skips it is ``stack(x)``."""
    pending = iter(skips)
    for layer in stack:
        x = layer(x)
        if isinstance(layer, nn.ReLU):
            skip = next(pending, None)
            if skip is not None:
                x = x + (skip.unsqueeze(2) if x.dim() == 5 else skip)
    return x


def total_variation(flow: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference between the flows (B, 2, T, H, W) of vertically and of horizontally
    neighbouring pixels, in the flow's normalised units, summed over the two directions."""
    return sum(flow.diff(dim=axis).abs().mean() for axis in (-2, -1))


def context_error(video: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference between each video's first k frames and the k ``context`` frames (B, 3, k, H, W)."""
    return (video[:, :, : context.shape[2]] - context).abs().mean()
