"""The shape every clip of a run has, stated once under ``clip:`` in the run file.

A value type of its own, beneath every layer: video extraction cuts clips to it, the store
records it, and every component is built for it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClipSpec:
    """Length and size of every clip in a run, stated once and shared by all components."""

    frames: int
    size: int
