"""The protocol of an evaluation: what every number was computed on, recorded beside it.

A conditional model is given the ``context`` k real frames of each evaluation clip and makes
``samples`` K predictions of the rest, each from its own seeded noise. Paired metrics score the
predicted frames k..T-1 only, against the real ones, for each of the K samples (best-of-K and
mean-of-K). Distributional metrics see one sample per context as whole clips, the real context
frames in front of the generated and the real clips alike (as SRVP does). An unconditional
model is given nothing (context 0) and makes one video per real clip (K = 1).

``vpkit compare`` refuses to compare numbers whose protocols differ (see
:data:`vpkit.commands.compare.PROTOCOL`), so every field that changes what a number means is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vpkit.engine.evaluate.intervals import RESAMPLES

UNCONDITIONAL = "generated from seeded latents, no frame given; compared with the real clips as sets"


@dataclass(frozen=True)
class Protocol:
    """What every number of one evaluation was computed on."""

    split: str
    videos: int
    frames: int
    size: int
    seed: int
    conditional: bool
    context: int = 1
    samples: int = 1
    resamples: int = RESAMPLES

    @classmethod
    def of(cls, split: str, videos: int, frames: int, size: int, seed: int, resamples: int, generator, samples: int):
        """The protocol for ``generator``: its clip's context and K samples when conditional, else neither."""
        if generator.conditional:
            return cls(split, videos, frames, size, seed, True, generator.clip.context, samples, resamples)
        return cls(split, videos, frames, size, seed, False, 0, 1, resamples)

    @property
    def scored(self) -> range:
        """The frames paired metrics score (every frame for an unconditional model, which has no pairs)."""
        return range(self.context, self.frames)

    def seeds(self, index: int) -> list[int]:
        """The seeds of batch ``index``'s K samples: sample 0 is the one a K = 1 evaluation draws (so FVD and
        the motion statistics, which see sample 0, do not depend on K); the others are derived from it."""
        derived = np.random.SeedSequence([self.seed, index]).generate_state(self.samples, np.uint32)
        return [self.seed + index, *(int(s) for s in derived[1:])]

    def describe(self) -> dict[str, Any]:
        how: dict[str, Any]
        if self.conditional:
            k = self.context
            how = {
                "paired_frames": f"predicted frames {k}..T-1 from {k} real context frame(s) vs the real ones",
                "distributional": f"whole clips, sample 0 of each context; the {k} real context frame(s) in front "
                "of generated and real clips alike",
            }
        else:
            how = {"generated": UNCONDITIONAL}
        return {
            "split": self.split,
            "videos": self.videos,
            "frames": self.frames,
            "size": self.size,
            "context": self.context,
            "samples": self.samples,
            "scored_frames": [self.scored.start, self.scored.stop - 1],
            "seed": self.seed,
            "resamples": self.resamples,
            **how,
        }
