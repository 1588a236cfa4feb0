"""The interfaces that are torch modules: generators and discriminators.

Apart from :mod:`vpkit.components` so that the CLI can list, validate and complete run files
without importing torch; their class-level facts (``conditional``, ``default_schedule``) are
declared there, in :class:`vpkit.components.GeneratorTraits`.
"""

from __future__ import annotations

import torch
from pydantic import BaseModel
from torch import nn

from vpkit.clip_spec import ClipSpec
from vpkit.components import Component, GeneratorOutput, GeneratorTraits


class Generator(GeneratorTraits, nn.Module):
    """Maps a latent (and, if ``conditional``, the context frames) to a video.

    The context contract, for every conditional generator and every caller (trainer,
    evaluation, ``vpkit predict``, ``vpkit serve``): ``forward(z, condition)`` receives the
    ``k = clip.context`` real frames, ``condition`` of shape (B, 3, k, H, W) in [-1, 1], and
    returns the whole clip, (B, 3, T, H, W). The trainer scores that output as it is (its
    losses see what the model made of the context frames too); everywhere else
    :func:`vpkit.generate` puts the real context frames in front (``video[:, :, :k]`` is the
    context) and paired metrics score frames ``k .. T-1`` only.
    """

    #: True when the trainer should pass the real clip to ``forward`` as ``real``: the generator then
    #: draws its latent from a posterior inferred from that clip, as a VAE does (SVG, SAVP), and adds
    #: the posterior's KL divergence from the prior to ``losses``. Outside training ``z`` is drawn from
    #: the prior by :meth:`sample_latent`, as for any generator.
    infers_latent: bool = False

    def __init__(self, config: BaseModel, clip: ClipSpec):
        nn.Module.__init__(self)
        self.config = config
        self.clip = clip

    def sample_latent(self, batch_size: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """``batch_size`` latents, drawn from ``generator`` when given (it may live on the CPU).

        The latents must be on the model's device (that of its parameters): the trainer and
        ``vpkit.generate`` pass them straight to ``forward``.
        """
        raise NotImplementedError

    def forward(
        self, z: torch.Tensor, condition: torch.Tensor | None = None, real: torch.Tensor | None = None
    ) -> GeneratorOutput:
        """``condition``: the context frames (B, 3, clip.context, H, W) in [-1, 1], for conditional models;
        ``real``: the whole real clip, given in training to a generator that :attr:`infers_latent` (which
        then ignores ``z``); returns the whole clip (B, 3, clip.frames, H, W) (see the class docstring)."""
        raise NotImplementedError


class Discriminator(Component, nn.Module):
    """Maps a video (B, 3, T, H, W) in [-1, 1] to one real/fake logit per video, shape (B,)."""

    def __init__(self, config: BaseModel, clip: ClipSpec):
        nn.Module.__init__(self)
        self.config = config
        self.clip = clip
