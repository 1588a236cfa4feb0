"""Shape arithmetic shared by the VideoGAN generator and discriminator.

Both networks are mirror images: the generator starts from a ``t0 x 4 x 4`` volume and
doubles time, height and width ``n`` times; the discriminator halves them ``n`` times and
ends with one convolution over the remaining ``t0 x 4 x 4``. A clip is usable when that
arithmetic is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpkit import ClipSpec

#: Channels of the narrowest layer (next to the pixels); each level further in doubles it.
BASE_CHANNELS = 64
#: Spatial side of the innermost volume.
CORE_SIZE = 4


@dataclass(frozen=True)
class Pyramid:
    """The ``n`` stride-2 levels between a clip and the innermost ``t0 x 4 x 4`` volume."""

    levels: int
    depth: int

    @classmethod
    def of(cls, clip: ClipSpec) -> Pyramid:
        """Raise ``ValueError`` if ``clip`` does not reduce exactly to a ``t0 x 4 x 4`` core."""
        size, frames = clip.size, clip.frames
        if size < 16 or size & (size - 1):
            raise ValueError(f"size must be a power of two >= 16, got {size}")
        levels = (size // CORE_SIZE).bit_length() - 1
        stride = 2**levels
        if frames < stride or frames % stride:
            raise ValueError(f"frames must be a positive multiple of {stride} for size {size}, got {frames}")
        return cls(levels=levels, depth=frames // stride)

    def channels(self, width: float) -> list[int]:
        """Channels per level, innermost (widest) first: 512, 256, 128, 64 for size 64."""
        return [max(1, round(BASE_CHANNELS * 2**i * width)) for i in reversed(range(self.levels))]


class PyramidClips:
    """Mixin for the VideoGAN networks: a clip is usable when :meth:`Pyramid.of` accepts it."""

    @classmethod
    def check_clip(cls, config, clip: ClipSpec) -> None:
        Pyramid.of(clip)
