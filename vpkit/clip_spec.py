"""The shape every clip of a run has, stated once under ``clip:`` in the run file.

A value type of its own, beneath every layer: video extraction cuts clips to it, the store
records it, and every component is built for it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClipSpec:
    """Length and size of every clip in a run, stated once and shared by all components.

    ``context`` is how many real frames a conditional generator is given (``clip.context``,
    default 1: the paper's single image). It predicts the other ``frames - context``, and only
    those are scored by paired metrics; an unconditional generator ignores it. The clip store
    does not depend on it: one store serves every context.
    """

    frames: int
    size: int
    context: int = 1

    @property
    def predicted(self) -> int:
        """Frames a conditional generator predicts: ``frames - context``."""
        return self.frames - self.context
