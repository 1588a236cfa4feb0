"""User-facing errors: printed as one short line by the CLI, never as a traceback."""

from __future__ import annotations

import math

import click


class VpkitError(click.ClickException):
    """Bad input or an unusable environment. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1


class ConfigError(VpkitError):
    """A run file, option or command-line value that cannot be used (exit code 2)."""

    exit_code = 2


#: Longest stretch of a value that a message quotes; longer ones are cut.
SHOWN_CHARACTERS = 60


def cut(text: str) -> str:
    """``text`` for a message, cut to a readable length: an error never echoes a 100 kB value."""
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[:SHOWN_CHARACTERS]}... ({len(text)} characters)"


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut by :func:`cut`."""
    if isinstance(value, int) and value.bit_length() > 4 * SHOWN_CHARACTERS:  # repr fails past 4300 digits
        return f"an integer of about {round(abs(value).bit_length() * math.log10(2))} digits"
    return cut(repr(value))


def reason_of(exc: BaseException) -> str:
    """The first line of an exception's message, cut by :func:`cut`, or its type when it has none."""
    text = str(exc).strip()
    return cut(text.splitlines()[0]) if text else type(exc).__name__
