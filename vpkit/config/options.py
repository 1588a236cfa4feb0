"""What an option is, in words: its type with bounds, its default and its description.

One reading of a pydantic ``Config`` for everyone who shows options: ``vpkit plugins NAME``
prints it, and the documentation's run-file reference renders the same words as tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

#: How pydantic's numeric bounds read beside a type.
_BOUNDS = (
    (annotated_types.Gt, "gt", ">"),
    (annotated_types.Ge, "ge", "≥"),
    (annotated_types.Lt, "lt", "<"),
    (annotated_types.Le, "le", "≤"),
)


@dataclass(frozen=True)
class Option:
    key: str  # dotted below a nested section: ``reconstruction.weight``
    type: str
    default: str | None  # None: required
    description: str


def options_of(model: type[BaseModel], prefix: str = "") -> list[Option]:
    """Every option of ``model``, those of nested sections after their own under dotted keys."""
    found = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        nested = model_in(field.annotation)
        if nested is not None:
            found += options_of(nested, f"{key}.")
        else:
            found.append(Option(key, type_of(field), default_of(field), field.description or ""))
    return found


def type_of(field: FieldInfo, code: Callable[[Any], str] = str) -> str:
    """The field's type and its bounds: ``float, > 0``; ``code`` quotes the values of a Literal."""
    return ", ".join([type_name(field.annotation, code), *bounds(field)])


def type_name(annotation: Any, code: Callable[[Any], str] = str) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        names = [type_name(a, code) for a in args if a is not NoneType]
        return " or ".join(names) + (" or null" if NoneType in args else "")
    if origin is Literal:
        return "one of " + ", ".join(code(a) for a in args)
    if origin is tuple and args and args[-1] is not Ellipsis:
        return "[" + ", ".join(type_name(a, code) for a in args) + "]"
    if origin in (list, tuple):
        return f"list of {type_name(args[0], code)}"
    return getattr(annotation, "__name__", str(annotation))


def bounds(field: FieldInfo) -> list[str]:
    return [f"{sign} {getattr(m, attr)}" for m in field.metadata for cls, attr, sign in _BOUNDS if isinstance(m, cls)]


def default_of(field: FieldInfo) -> str | None:
    """The default as a run file would spell it (a string bare, anything else as JSON); None when required."""
    if field.is_required():
        return None
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return ""
    if isinstance(value, list):  # component blocks (the default loggers) as a run file writes them
        value = [item.model_dump() if isinstance(item, BaseModel) else item for item in value]
    return value if isinstance(value, str) else json.dumps(value, default=str)


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (itself, or in a union or list), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None
