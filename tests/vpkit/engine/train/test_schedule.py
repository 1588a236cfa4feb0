import pytest

from vpkit.config.schema import ScheduleConfig
from vpkit.engine.train.schedule import updates_at


def count(steps, **schedule):
    config = ScheduleConfig(**schedule)
    pairs = [updates_at(step, config) for step in range(1, steps + 1)]
    return sum(d for d, _ in pairs), sum(g for _, g in pairs)


@pytest.mark.parametrize(
    "steps, schedule, expected",
    [
        (9, {"g_extra_every": 3}, (9, 12)),  # the original: an extra G update on steps 3, 6, 9
        (10, {"g_extra_every": 3}, (10, 13)),
        (10, {}, (10, 10)),
        (10, {"d_steps": 2, "g_steps": 1}, (20, 10)),
        (12, {"d_steps": 1, "g_steps": 2, "g_extra_every": 4}, (12, 27)),
    ],
)
def test_update_counts(steps, schedule, expected):
    assert count(steps, **schedule) == expected


def test_extra_update_lands_on_every_third_step():
    config = ScheduleConfig(g_extra_every=3)
    assert [updates_at(s, config)[1] for s in range(1, 7)] == [1, 1, 2, 1, 1, 2]
