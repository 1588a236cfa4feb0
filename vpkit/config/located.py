"""Errors located in the run file: ``file:line: yaml.path: message``, or the ``--set`` flag that caused them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from vpkit.config.positions import line_of
from vpkit.errors import ConfigError, cut, shown
from vpkit.suggest import did_you_mean

#: Errors a message lists before it only counts the rest: a run file with thousands of mistakes
#: (a pasted block, a generated file) gets a screenful, not thousands of lines.
SHOWN_ERRORS = 10


class LocatedErrors:
    """Collects errors as ``file:line: yaml.path: message`` lines."""

    def __init__(self, path: Path, lines: dict, overridden: dict[tuple, str]):
        self.path, self.lines, self.overridden, self.messages = path, lines, overridden, []

    def add(self, loc: tuple, message: str) -> None:
        dotted = _dotted(loc)
        for key, flag in self.overridden.items():
            if loc[: len(key)] == key:
                self.messages.append(f"--set {flag}: {message}")
                return
        line = line_of(self.lines, loc)
        where = f"{self.path.name}:{line}" if line else self.path.name
        self.messages.append(f"{where}: {dotted}: {message}" if dotted else f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            more = len(self.messages) - SHOWN_ERRORS
            tail = [f"... and {more} more errors"] if more > 0 else []
            raise ConfigError("\n".join([*self.messages[:SHOWN_ERRORS], *tail]))


def report_validation(errors: LocatedErrors, exc: ValidationError, model: type[BaseModel], prefix: tuple) -> None:
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind, ctx, given = err["type"], err.get("ctx", {}), err.get("input")
        if kind == "extra_forbidden":
            known = _fields_at(model, loc[:-1])
            errors.add(
                (*prefix, *loc),
                f"unknown key {shown(loc[-1])}{did_you_mean(str(loc[-1]), known)}; allowed: {', '.join(known)}",
            )
        elif kind == "missing":
            errors.add((*prefix, *loc[:-1]), f"missing required key {loc[-1]!r}")
        elif kind in _BOUNDS:
            bound = next(iter(ctx.values()))
            errors.add((*prefix, *loc), f"must be {_BOUNDS[kind]} {bound}, got {shown(given)}")
        else:
            message = err["msg"].removeprefix("Value error, ")
            message = message[0].lower() + message[1:]
            got = "a mapping" if isinstance(given, dict) else shown(given)
            errors.add((*prefix, *loc), f"{message}, got {got}" if "got" not in message else message)


_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the fields of the (nested) model found at ``loc``, for did-you-mean hints."""
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, list, Literal) or get_args(annotation):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{cut(str(part))}" if text else cut(str(part)))
    return text
