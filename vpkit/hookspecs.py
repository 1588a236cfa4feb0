"""pluggy hook specifications: one per component kind, plus shipped models and extra CLI commands.

Hooks follow the register-callback style: a plugin receives ``register`` and calls it once
per class it provides, e.g. ``register(VideoGANGenerator)``.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("vpkit")
hookimpl = pluggy.HookimplMarker("vpkit")
"""Marks a plugin's hook implementations: ``@hookimpl`` above ``def register_generators(register)``."""


@hookspec
def register_sources(register):
    """Register :class:`vpkit.Source` subclasses: ``register(MySource)``."""


@hookspec
def register_generators(register):
    """Register :class:`vpkit.Generator` subclasses."""


@hookspec
def register_discriminators(register):
    """Register :class:`vpkit.Discriminator` subclasses."""


@hookspec
def register_metrics(register):
    """Register :class:`vpkit.Metric` subclasses."""


@hookspec
def register_loggers(register):
    """Register :class:`vpkit.Logger` subclasses."""


@hookspec
def register_models(register):
    """Register trained models the plugin ships: ``register(ShippedModel(name, run_dir, sha256))``."""


@hookspec
def register_commands(cli):
    """Add commands to the ``vpkit`` click group: ``@cli.command()``."""
