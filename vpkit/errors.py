"""User-facing errors: printed as one short line by the CLI, never as a traceback."""

from __future__ import annotations

import click


class VpkitError(click.ClickException):
    """Bad input or an unusable environment. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1


class ConfigError(VpkitError):
    """A run file, option or command-line value that cannot be used (exit code 2)."""

    exit_code = 2
