"""YAML loading that remembers the line of every key, so errors can point into the file."""

from __future__ import annotations

from typing import Any

import yaml

YamlPath = tuple[Any, ...]


def load_with_lines(text: str) -> tuple[Any, dict[YamlPath, int]]:
    """Parse YAML; return the data and a map from key path (tuple of keys/indices) to 1-based line."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[YamlPath, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return yaml.safe_load(text), lines


def _walk(node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines)


def line_of(lines: dict[YamlPath, int], path: YamlPath) -> int | None:
    """Line of ``path``, or of its nearest ancestor present in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
