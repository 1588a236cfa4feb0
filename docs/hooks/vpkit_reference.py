"""The generated parts of the documentation, rendered from the code so they cannot drift.

``run_file_reference`` documents the run file's core sections (the pydantic models in
:mod:`vpkit.config.runfile`) and the options of every component the bundled plugins register;
``api_reference`` lists one mkdocstrings block per name in ``vpkit.__all__``. Both return
Markdown and need nothing beyond vpkit itself, so tests call them directly.
"""

from __future__ import annotations

import inspect
from typing import get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

import vpkit
from vpkit import plugins
from vpkit.components import KINDS
from vpkit.config.options import default_of, model_in, type_of
from vpkit.config.schema import ComponentBlock, RunConfig

#: The distribution whose plugins are "bundled"; third-party plugins installed where the
#: site is built are left out of the reference.
BUNDLED_DISTRIBUTION = "vpkit"
#: Where each component kind is named in a run file (``metrics`` is a list of blocks).
BLOCK_KINDS = {".".join(kind.run_file): kind.name for kind in KINDS.values()}


def run_file_reference() -> str:
    """Markdown for every run-file key: the core sections, then each bundled component's options."""
    return "\n".join(["## Top level { #top-level }", "", *_sections(RunConfig, ""), *_components()])


def api_reference() -> str:
    """One mkdocstrings block per public name, in ``vpkit.__all__`` order, at the module that
    defines it (``vpkit`` imports its names lazily, which a static reader cannot follow)."""
    return "\n".join(f"::: {vpkit._EXPORTS[name]}.{name}\n" for name in vpkit.__all__)


def bundled_components(kind: str) -> dict[str, tuple[type, str]]:
    """Components of ``kind`` registered by the bundled plugins: name -> (class, plugin)."""
    bundled = {p["name"] for p in plugins.describe_plugins() if p["distribution"] == BUNDLED_DISTRIBUTION}
    reg = plugins.registry(kind)
    return {
        name: (cls, reg.providers[name]) for name, cls in sorted(reg.classes.items()) if reg.providers[name] in bundled
    }


def anchor(path: str) -> str:
    """The id of the heading that documents the section or component at ``path``."""
    return path.replace(".", "-").replace("_", "-")


# --- core sections: one table per pydantic model, nested models get their own table


def _sections(model: type[BaseModel], path: str, level: int = 2) -> list[str]:
    """A table for ``model``, then a heading and a table for each model nested in it."""
    lines = [*_table(model, path), ""]
    for name, field in model.model_fields.items():
        nested = model_in(field.annotation)
        if nested is not None and nested is not ComponentBlock:
            key = f"{path}.{name}" if path else name
            lines += [f"{'#' * level} `{key}` {{ #{anchor(key)} }}", "", *_sections(nested, key, level)]
    return lines


def _table(model: type[BaseModel], path: str) -> list[str]:
    """One row per field: key, type with bounds, default, description."""
    rows = ["| key | type | default | description |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        key = f"{path}.{name}" if path else name
        rows.append(
            f"| `{name}` | {_cell(_type_of(field, key))} | {_cell(_default(field))} "
            f"| {_cell(field.description or '')} |"
        )
    return rows


def _type_of(field: FieldInfo, key: str) -> str:
    """A link for component blocks and nested sections, else the type and its bounds."""
    kind = BLOCK_KINDS.get(key)
    if kind is not None:
        if get_origin(field.annotation) is list:
            return f"list of [{kind} blocks](#{anchor(kind)}s)"
        return f"[{kind} block](#{anchor(kind)}s)"
    nested = model_in(field.annotation)
    if nested is not None:
        return f"[section](#{anchor(key)})"
    return type_of(field, code=lambda value: f"`{value}`")


def _default(field: FieldInfo) -> str:
    default = default_of(field)
    return "required" if default is None else f"`{default}`" if default else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- components: every bundled component of every kind, with its Config as a table


def _components() -> list[str]:
    lines = []
    for kind in KINDS:
        found = bundled_components(kind)
        lines += [f"## {kind.capitalize()}s {{ #{anchor(kind)}s }}", ""]
        if not found:
            lines += [f"No bundled plugin provides a {kind} yet.", ""]
        for name, (cls, provider) in found.items():
            lines += _component(kind, name, cls, provider)
    return lines


def _component(kind: str, name: str, cls: type, provider: str) -> list[str]:
    """A heading, the class's own docstring, its traits and its options."""
    lines = [f"### `{name}` {{ #{anchor(kind)}-{anchor(name)} }}", "", f"*{kind}, from the `{provider}` plugin.*", ""]
    if cls.__doc__:
        lines += [inspect.cleandoc(cls.__doc__), ""]
    lines += _traits(kind, cls)
    if not cls.Config.model_fields:
        return [*lines, "No options besides `name`.", ""]
    return [*lines, *_sections(cls.Config, f"{kind}.{name}", level=4)]


def _traits(kind: str, cls: type) -> list[str]:
    """The class-level facts the trainer and the evaluation rely on."""
    if kind == "generator":
        schedule = ", ".join(f"`{k}: {v}`" for k, v in cls.default_schedule.items()) or "none"
        return [
            f"Conditional (needs a first frame): {'yes' if cls.conditional else 'no'}. Default schedule: {schedule}.",
            "",
        ]
    if kind == "metric":
        return [
            f"Paired: {'yes' if cls.paired else 'no'}. Lower is better: {'yes' if cls.lower_is_better else 'no'}.",
            "",
        ]
    return []
