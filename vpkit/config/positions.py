"""YAML for run files: the data, the line of every key, and a refusal that points at a line.

A run file is a small tree of names and numbers, so this loader refuses what such a file never
needs and a careless or hostile one contains: text that is not UTF-8 or holds control
characters, tagged values that cannot be built (``!!int abc``), keys that are lists or
mappings, duplicate keys (plain YAML lets the last one win silently), aliases that contain
themselves, nesting deeper than :data:`MAX_DEPTH`, and aliases that expand to more than
:data:`MAX_VALUES` values. The limits are checked on the composed node graph, before any
value is built, so a 500-byte alias bomb is refused in milliseconds instead of expanding to
gigabytes.
"""

from __future__ import annotations

from typing import Any

import yaml

from vpkit.errors import cut, shown

YamlPath = tuple[Any, ...]

#: Deepest nesting of lists and mappings, aliases expanded (a run file needs about 4).
MAX_DEPTH = 50
#: Most values (scalars, lists, mappings) a document may hold once its aliases are expanded.
MAX_VALUES = 100_000

_MERGE = "tag:yaml.org,2002:merge"


class YamlProblem(Exception):
    """Why a text is not a usable run file, and the 1-based line (None: the whole text).

    ``syntax`` is true for text that is not YAML at all, as opposed to YAML that this loader
    refuses; a ``--set`` value that is not YAML is taken as a plain string instead.
    """

    def __init__(self, message: str, line: int | None = None, syntax: bool = False):
        super().__init__(message)
        self.message, self.line, self.syntax = message, line, syntax


def decode(raw: bytes) -> str:
    """The UTF-8 text of a run file; a byte that is not UTF-8 is reported with its line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line) from None


def load_with_lines(text: str) -> tuple[Any, dict[YamlPath, int]]:
    """Parse YAML; return the data and a map from key path (tuple of keys/indices) to 1-based line."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # raised while the loader reads the text in
        raise _reader_problem(exc, text) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _measure(node, 1, {})
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if not isinstance(exc, _Refused):  # PyYAML's own messages may quote the text they stopped at
            problem = cut(problem)
        syntax = isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError))
        raise YamlProblem(problem, mark.line + 1 if mark else None, syntax) from None
    finally:
        loader.dispose()
    lines: dict[YamlPath, int] = {}
    _walk(node, (), lines)
    return data, lines


def load_value(text: str) -> Any:
    """One value (a ``--set`` value), typed and limited the way a run file's values are."""
    return load_with_lines(text)[0]


def line_of(lines: dict[YamlPath, int], path: YamlPath) -> int | None:
    """Line of ``path``, or of its nearest ancestor present in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses, while composing and constructing, what a run file never needs."""

    def __init__(self, text: str):
        super().__init__(text)
        self._open_anchors: list[str | None] = []  # anchors of the collections being composed

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open_anchors:
                raise _error(f"alias *{event.anchor} is used inside the value it names", event.start_mark)
            return super().compose_node(parent, index)
        if len(self._open_anchors) >= MAX_DEPTH:
            raise _error(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._open_anchors.append(getattr(event, "anchor", None))
        try:
            return super().compose_node(parent, index)
        finally:
            self._open_anchors.pop()

    def compose_mapping_node(self, anchor: str | None) -> yaml.MappingNode:
        node = super().compose_mapping_node(anchor)
        seen: dict[tuple[str, str], int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise _error("a key must be a plain name, not a list or a mapping", key.start_mark)
            if key.tag == _MERGE:
                continue
            line = key.start_mark.line + 1
            if (key.tag, key.value) in seen:
                raise _error(
                    f"duplicate key {shown(key.value)} (first on line {seen[key.tag, key.value]}); keep one",
                    key.start_mark,
                )
            seen[key.tag, key.value] = line
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            # a tag's constructor met a value it cannot build: !!int abc, !!bool maybe, 5000 digits
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            too_long = "digits" in str(exc) and tag == "!!int"
            problem = (
                f"an integer of {len(node.value)} digits is too long"
                if too_long
                else (f"cannot read {shown(node.value)} as {tag}")
            )
            raise _error(problem, node.start_mark) from None


def _measure(node: yaml.Node, depth: int, seen: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """The number of values under ``node`` and its height, aliases expanded, within the limits.

    Each node is measured once (``seen``), so the cost is that of the text, not of the expansion.
    """
    if id(node) in seen:
        size, height = seen[id(node)]
    else:
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        size, height = 1, 1
        for child in children:
            if depth >= MAX_DEPTH:
                raise _error(f"nested more than {MAX_DEPTH} levels deep once aliases are expanded", child.start_mark)
            child_size, child_height = _measure(child, depth + 1, seen)
            size, height = size + child_size, max(height, child_height + 1)
            if size > MAX_VALUES:
                break
        seen[id(node)] = size, height
    if size > MAX_VALUES:
        raise _error(
            f"aliases here expand to more than {MAX_VALUES} values; a run file needs a few dozen", node.start_mark
        )
    if depth + height - 1 > MAX_DEPTH:
        raise _error(f"nested more than {MAX_DEPTH} levels deep once aliases are expanded", node.start_mark)
    return size, height


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


class _Refused(yaml.MarkedYAMLError):
    """YAML that this loader refuses, with a message of its own."""


def _error(problem: str, mark: yaml.Mark) -> _Refused:
    return _Refused(problem=problem, problem_mark=mark)


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> YamlProblem:
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    line = text.count("\n", 0, exc.position) + 1
    return YamlProblem(f"control character U+{character:04X} is not allowed; remove it", line)
