"""The plugin manager and the registry of components by kind and name.

Plugins are modules exposed through the ``vpkit`` entry-point group; the bundled ones are
registered the same way. ``VPKIT_LOAD_PLUGINS`` (a comma-separated list of entry-point or
distribution names; empty for none) restricts which load, like llm's ``LLM_LOAD_PLUGINS``.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from importlib import metadata

import pluggy

from vpkit import hookspecs
from vpkit.components import KINDS, Component, ShippedModel
from vpkit.errors import ConfigError, VpkitError, shown
from vpkit.suggest import did_you_mean

ENTRY_POINT_GROUP = "vpkit"
LOAD_ENV = "VPKIT_LOAD_PLUGINS"

pm = pluggy.PluginManager("vpkit")
pm.add_hookspecs(hookspecs)
#: plugin name -> distribution (name, version) it was installed from
_distributions: dict[str, tuple[str, str]] = {}
_loaded = False


def load_plugins() -> pluggy.PluginManager:
    """Register every allowed ``vpkit`` entry point once; return the plugin manager."""
    global _loaded
    if _loaded:
        return pm
    _loaded = True
    allowed = os.environ.get(LOAD_ENV)
    allow = None if allowed is None else {n.strip() for n in allowed.split(",") if n.strip()}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist else ""
        if allow is not None and ep.name not in allow and dist not in allow:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            module = ep.load()
        except Exception as exc:  # a broken third-party plugin must not hide the others' errors
            raise VpkitError(f"plugin {ep.name!r} ({ep.value}) failed to import: {exc}") from exc
        pm.register(module, name=ep.name)
        if ep.dist:
            _distributions[ep.name] = (ep.dist.name, ep.dist.version)
    return pm


@dataclass
class Registry:
    """Components of one kind by name, each with the plugin that provides it."""

    kind: str
    classes: dict[str, type[Component]] = field(default_factory=dict)
    providers: dict[str, str] = field(default_factory=dict)

    def add(self, cls: type[Component], provider: str) -> None:
        kind = KINDS[self.kind]
        # A declaration is checked against its torch-free base: importing the interface (torch)
        # here would undo what declaring saves. Its implementation is checked when it is loaded.
        declared = isinstance(cls, type) and issubclass(cls, Component) and bool(cls.implementation)
        base = kind.declared if declared else kind.base
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise VpkitError(
                f"plugin {provider!r} registered {cls!r} as a {self.kind}, but it is not a vpkit.{base.__name__}"
            )
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not name:
            raise VpkitError(f"plugin {provider!r}: {self.kind} {cls.__qualname__} has no `name`")
        if name in self.classes:
            raise VpkitError(
                f"{self.kind} {name!r} is provided by both {self.providers[name]!r} and {provider!r}; "
                f"uninstall one or restrict plugins with {LOAD_ENV}"
            )
        self.classes[name] = cls
        self.providers[name] = provider

    def get(self, name: str) -> type[Component]:
        if name not in self.classes:
            available = ", ".join(sorted(self.classes)) or "none installed"
            raise ConfigError(
                f"unknown {self.kind} {shown(name)}{did_you_mean(name, self.classes)}; available: {available}"
            )
        return self.classes[name]


def implementation(kind: str, cls: type[Component]) -> type[Component]:
    """The class that does the work for registered ``cls``: ``cls`` itself, or the class its
    ``implementation`` names, imported now and checked against the kind's interface."""
    if not cls.implementation:
        return cls
    module, _, name = cls.implementation.partition(":")
    where = f"{kind} {cls.name!r}: implementation {cls.implementation!r}"
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise VpkitError(f"{where} cannot be imported: {exc}") from exc
    base = KINDS[kind].base
    if not (isinstance(found, type) and issubclass(found, cls) and issubclass(found, base)):
        raise VpkitError(f"{where} is not a vpkit.{base.__name__} subclassing {cls.__qualname__}")
    return found


def registry(kind: str) -> Registry:
    """Ask every loaded plugin for its components of ``kind``."""
    load_plugins()
    reg = Registry(kind)
    caller = getattr(pm.hook, KINDS[kind].hook.__name__)
    for impl in caller.get_hookimpls():
        impl.function(register=lambda cls, provider=impl.plugin_name: reg.add(cls, provider))
    return reg


def shipped_models() -> dict[str, tuple[ShippedModel, str]]:
    """Every trained model the loaded plugins ship, by name, with the plugin that ships it."""
    load_plugins()
    models: dict[str, tuple[ShippedModel, str]] = {}

    def add(model: ShippedModel, provider: str) -> None:
        if not isinstance(model, ShippedModel):
            raise VpkitError(f"plugin {provider!r} registered {model!r} as a model, but it is not a vpkit.ShippedModel")
        if model.name in models:
            raise VpkitError(
                f"model {model.name!r} is shipped by both {models[model.name][1]!r} and {provider!r}; "
                f"uninstall one or restrict plugins with {LOAD_ENV}"
            )
        models[model.name] = (model, provider)

    for impl in pm.hook.register_models.get_hookimpls():
        impl.function(register=lambda model, provider=impl.plugin_name: add(model, provider))
    return models


def describe_plugins() -> list[dict]:
    """Installed plugins, their versions and the components each provides (for ``vpkit plugins``)."""
    load_plugins()
    plugins: dict[str, dict] = {}
    for name, plugin in pm.list_name_plugin():
        dist, version = _distributions.get(name, (None, getattr(plugin, "__version__", None)))
        plugins[name] = {"name": name, "distribution": dist, "version": version, "components": {}}
    for kind in KINDS:
        reg = registry(kind)
        for component, provider in sorted(reg.providers.items()):
            plugins[provider]["components"].setdefault(kind, []).append(component)
    return sorted(plugins.values(), key=lambda p: p["name"])
