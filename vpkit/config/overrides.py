"""``--set KEY=VALUE`` overrides, applied to the loaded YAML before validation."""

from __future__ import annotations

from typing import Any

import yaml

from vpkit.config.schema import BLOCK_LISTS, BLOCKS, normalise_blocks
from vpkit.errors import ConfigError


def apply_overrides(data: dict, overrides: list[str]) -> dict[tuple, str]:
    """Apply ``KEY=VALUE`` overrides (values typed by YAML); return the paths they set."""
    overridden: dict[tuple, str] = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item}: expected KEY=VALUE, e.g. train.lr=1e-4")
        parts = tuple(int(p) if p.isdigit() else p for p in key.strip().split("."))
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            value = raw
        node = data
        for i, part in enumerate(parts[:-1]):
            nxt = node[part] if _has(node, part) else None
            if nxt is None and isinstance(node, dict):
                nxt = node[part] = {}
            if not isinstance(nxt, (dict, list)):
                raise ConfigError(f"--set {key}: {'.'.join(map(str, parts[: i + 1]))} is not a section")
            node = nxt
        if isinstance(node, list) and not (isinstance(parts[-1], int) and parts[-1] < len(node)):
            raise ConfigError(f"--set {key}: index out of range")
        node[parts[-1]] = value
        if parts[-1] == "name" or parts in BLOCKS or parts[0] in BLOCK_LISTS:
            normalise_blocks(data)
        overridden[parts] = key.strip()
    return overridden


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)
