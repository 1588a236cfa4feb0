"""``--set KEY=VALUE`` overrides, applied to the loaded YAML before validation."""

from __future__ import annotations

from typing import Any

from vpkit.config.positions import YamlProblem, load_value
from vpkit.config.schema import BLOCK_LISTS, BLOCKS, normalise_blocks
from vpkit.errors import ConfigError, cut


def apply_overrides(data: dict, overrides: list[str]) -> dict[tuple, str]:
    """Apply ``KEY=VALUE`` overrides (values typed by YAML); return the paths they set."""
    overridden: dict[tuple, str] = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {cut(item)}: expected KEY=VALUE, e.g. train.lr=1e-4")
        flag = cut(key.strip())
        parts = tuple(int(p) if p.isascii() and p.isdigit() else p for p in key.strip().split("."))
        try:
            value = load_value(raw)
        except YamlProblem as exc:
            if not exc.syntax:
                raise ConfigError(f"--set {flag}: {exc.message}") from None
            value = raw  # not YAML: the plain string
        node = data
        for i, part in enumerate(parts[:-1]):
            nxt = node[part] if _has(node, part) else None
            if nxt is None and isinstance(node, dict):
                nxt = node[part] = {}
            if not isinstance(nxt, (dict, list)):
                raise ConfigError(f"--set {flag}: {cut('.'.join(map(str, parts[: i + 1])))} is not a section")
            node = nxt
        if isinstance(node, list) and not (isinstance(parts[-1], int) and parts[-1] < len(node)):
            raise ConfigError(f"--set {flag}: index out of range")
        node[parts[-1]] = value
        if parts[-1] == "name" or parts in BLOCKS or parts[0] in BLOCK_LISTS:
            normalise_blocks(data)
        overridden[parts] = flag
    return overridden


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)
