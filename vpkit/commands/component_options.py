"""``vpkit plugins NAME``: what a component is and every option it takes, with types, defaults and
descriptions, as the run file's block for it is checked (its pydantic ``Config``)."""

from __future__ import annotations

import inspect
from dataclasses import asdict
from typing import Any

from vpkit import plugins
from vpkit.components import KINDS
from vpkit.config.options import options_of
from vpkit.errors import ConfigError, shown
from vpkit.suggest import did_you_mean


def describe_component(name: str) -> list[dict[str, Any]]:
    """Every registered component called ``name``, one per kind (``videogan`` is a generator and a
    discriminator); a user error naming the close matches when there is none."""
    found, every = [], set()
    for kind in KINDS:
        registry = plugins.registry(kind)
        every |= set(registry.classes)
        if name in registry.classes:
            cls = registry.classes[name]
            found.append(
                {
                    "kind": kind,
                    "name": name,
                    "plugin": registry.providers[name],
                    "description": inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0].replace("\n", " "),
                    "options": [asdict(option) for option in options_of(cls.Config)],
                }
            )
    if not found:
        raise ConfigError(
            f"no component called {shown(name)}{did_you_mean(name, every)}; available: {', '.join(sorted(every))}"
        )
    return found


def component_lines(component: dict[str, Any]) -> list[str]:
    """The terminal form of one entry of :func:`describe_component`."""
    lines = [f"{component['kind']} {component['name']} (from the {component['plugin']} plugin)"]
    if component["description"]:
        lines.append(f"  {component['description']}")
    if not component["options"]:
        return [*lines, "  no options besides name"]
    lines.append("  options:")
    for option in component["options"]:
        default = "required" if option["default"] is None else f"default {option['default']}"
        lines.append(f"    {option['key']}: {option['type']}; {default}")
        if option["description"]:
            lines.append(f"        {option['description']}")
    return lines
