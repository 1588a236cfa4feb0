"""The installed plugin is found through its entry point and registers both components."""

from vpkit.plugins import registry


def test_registered_through_the_entry_point():
    assert registry("source").providers["bouncing_digits"] == "bouncing_digits"
    assert registry("metric").providers["motion_gap"] == "bouncing_digits"
