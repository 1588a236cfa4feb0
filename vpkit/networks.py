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
    """Maps a latent (and, if ``conditional``, a first frame) to a video."""

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

    def forward(self, z: torch.Tensor, condition: torch.Tensor | None = None) -> GeneratorOutput:
        """``condition`` is the first frame (B, 3, H, W) in [-1, 1] for conditional models."""
        raise NotImplementedError


class Discriminator(Component, nn.Module):
    """Maps a video (B, 3, T, H, W) in [-1, 1] to one real/fake logit per video, shape (B,)."""

    def __init__(self, config: BaseModel, clip: ClipSpec):
        nn.Module.__init__(self)
        self.config = config
        self.clip = clip
