"""The GAN update schedule: how many discriminator and generator updates each step makes."""

from __future__ import annotations

from vpkit.config.schema import ScheduleConfig


def updates_at(step: int, schedule: ScheduleConfig) -> tuple[int, int]:
    """(discriminator updates, generator updates) at 1-based ``step``.

    With ``g_extra_every: 3`` (the original project's schedule) steps 3, 6, 9, ... make one
    generator update more than the others.
    """
    extra = 1 if schedule.g_extra_every and step % schedule.g_extra_every == 0 else 0
    return schedule.d_steps, schedule.g_steps + extra


def due(step: int, every: int, last_step: int) -> bool:
    """True on every ``every``-th step and on the last one: when logs, samples, evaluations and
    checkpoints happen."""
    return step % every == 0 or step == last_step
