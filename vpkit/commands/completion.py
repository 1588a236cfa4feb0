"""Shell completion: run-file keys after ``--set``, registered component names after a block's
``name=`` and after ``vpkit plugins``, shipped models after ``--model``, and metric names
(comma-separated) after ``--metrics``.

Click answers the shell from the same program (``_VPKIT_COMPLETE=bash_source vpkit`` prints
the script to load); every answer imports no torch, so a TAB is as fast as ``vpkit --help``.
Bash needs one change to click's script: it splits words at ``=`` and ``:``, which cuts
``--set key=value`` in two, so this script hands vpkit the line itself and takes back only
the part bash replaces. Keys end with ``=``: bash and zsh put no space after them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import click
from click.shell_completion import BashComplete, CompletionItem, ZshComplete, add_completion_class, split_arg_string

#: Where the CLI group keeps the command line's words in ``Context.meta`` (shared by every context).
WORDS = "vpkit.words"


@dataclass
class Key:
    """One key ``--set`` can set: what it means, and the values worth offering for it."""

    description: str = ""
    choices: list[str] = field(default_factory=list)


def set_keys(run_file: Path | None = None) -> dict[str, Key]:
    """Every key ``--set`` takes: the core sections' keys, each component block's ``name`` and,
    for the components ``run_file`` names, their options."""
    from vpkit.config.schema import BLOCK_LISTS, BLOCKS, ComponentBlock, RunConfig

    keys: dict[str, Key] = {}
    _section(RunConfig, "", keys, skip=ComponentBlock)
    data = _read(run_file)
    for path, kind in BLOCKS.items():
        _block(kind, ".".join(path), _at(data, path), keys)
    for key, kind in BLOCK_LISTS.items():
        entries = data.get(key)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            _block(kind, f"{key}.{i}", entry, keys)
    return keys


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``--set`` completion: ``KEY=`` while the key is typed, then the values its field allows."""
    try:
        keys = set_keys(ctx.params.get("run_file") or run_file_in(ctx.meta.get(WORDS, [])))
    except Exception:  # a TAB never prints a traceback into the user's command line
        return []
    key, sep, value = incomplete.partition("=")
    if not sep:
        return [CompletionItem(f"{name}=", help=k.description) for name, k in keys.items() if name.startswith(key)]
    found = keys.get(key)
    return [
        CompletionItem(f"{key}={choice}") for choice in (found.choices if found else []) if choice.startswith(value)
    ]


def complete_component(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The registered components of every kind, for ``vpkit plugins NAME``."""
    names = {name for kind in _kinds() for name in _registered(kind)}
    return [CompletionItem(name) for name in sorted(names) if name.startswith(incomplete)]


def complete_example(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The shipped run files, for ``vpkit init NAME``."""
    from vpkit.config.examples import shipped

    return [CompletionItem(name) for name in shipped() if name.startswith(incomplete)]


def complete_model(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The models installed plugins ship, for ``--model NAME``."""
    from vpkit.plugins import shipped_models

    return [
        CompletionItem(name, help=model.summary)
        for name, (model, _) in sorted(shipped_models().items())
        if name.startswith(incomplete)
    ]


def complete_metrics(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``--metrics ssim,ps`` TAB: the registered metrics not named yet, after the names already typed."""
    *typed, last = incomplete.split(",")
    before = "".join(f"{name}," for name in typed)
    return [
        CompletionItem(before + name) for name in _registered("metric") if name.startswith(last) and name not in typed
    ]


def _kinds() -> list[str]:
    from vpkit.components import KINDS

    return list(KINDS)


def _registered(kind: str) -> list[str]:
    """The names of ``kind``'s registered components; none when a plugin fails (a TAB prints no traceback)."""
    from vpkit import plugins

    try:
        return sorted(plugins.registry(kind).classes)
    except Exception:
        return []


def run_file_in(words: list[str]) -> Path | None:
    """The run file among the command line's words. Click leaves ``run_file`` unset while the
    last word is an option still waiting for its value (``--set`` TAB)."""
    return next((Path(word) for word in words if word.endswith((".yaml", ".yml"))), None)


def _section(model: Any, prefix: str, keys: dict[str, Key], skip: type) -> None:
    from pydantic import BaseModel

    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _model(info.annotation, BaseModel)
        if nested is skip or (get_origin(info.annotation) is list and nested is skip):
            continue
        if nested is not None:
            _section(nested, f"{path}.", keys, skip)
        else:
            keys[path] = Key(info.description or "", _choices(info.annotation))


def _block(kind: str, prefix: str, block: Any, keys: dict[str, Key]) -> None:
    from vpkit import plugins

    registry = plugins.registry(kind)
    keys[f"{prefix}.name"] = Key(f"a registered {kind}", sorted(registry.classes))
    name = block.get("name") if isinstance(block, dict) else block
    if isinstance(name, str) and name in registry.classes:
        for option, info in registry.classes[name].Config.model_fields.items():
            keys[f"{prefix}.{option}"] = Key(info.description or "", _choices(info.annotation))


def _choices(annotation: Any) -> list[str]:
    if annotation is bool:
        return ["true", "false"]
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    return []


def _model(annotation: Any, base: type) -> type | None:
    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for arg in get_args(annotation):
        found = _model(arg, base)
        if found is not None:
            return found
    return None


def _read(run_file: Path | None) -> dict:
    """The run file's top level, or nothing when it cannot be read (completion is best effort)."""
    import yaml

    try:
        data = yaml.safe_load(Path(run_file).read_text(encoding="utf-8")) if run_file else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _at(data: dict, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


class VpkitBashComplete(BashComplete):
    """Bash completion that reads the command line itself (see the module docstring)."""

    source_template = r"""
%(complete_func)s() {
    local IFS=$'\n'
    local response
    response=$(env COMP_LINE="${COMP_LINE:0:$COMP_POINT}" %(complete_var)s=bash_complete $1)
    for completion in $response; do
        IFS=',' read type value <<< "$completion"
        if [[ $type == 'dir' ]]; then
            COMPREPLY=()
            compopt -o dirnames
        elif [[ $type == 'file' ]]; then
            COMPREPLY=()
            compopt -o default
        elif [[ $type == 'plain' ]]; then
            COMPREPLY+=($value)
            [[ $value == *= ]] && compopt -o nospace 2>/dev/null
        fi
    done
    return 0
}
complete -o nosort -F %(complete_func)s %(prog_name)s
"""

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ["COMP_LINE"]
        words = split_arg_string(line)
        incomplete = "" if not words or line.endswith(" ") else words.pop()
        self._cut = max(incomplete.rfind("="), incomplete.rfind(":")) + 1
        return words[1:], incomplete

    def format_completion(self, item: CompletionItem) -> str:
        # bash replaces only the text after the last '=' or ':' of the word
        return f"{item.type},{item.value[self._cut :] if item.type == 'plain' else item.value}"


class VpkitZshComplete(ZshComplete):
    """Zsh completion with no space after a key that ends with ``=``."""

    source_template = (
        ZshComplete.source_template.replace(
            '        if [[ "$type" == "plain" ]]; then\n            if [[ "$descr" == "_" ]]; then',
            '        if [[ "$type" == "plain" && "$key" == *= ]]; then\n'
            '            keys+=("$key")\n'
            '        elif [[ "$type" == "plain" ]]; then\n            if [[ "$descr" == "_" ]]; then',
        )
        .replace(
            "    local -a response\n",
            "    local -a response\n    local -a keys\n",
        )
        .replace(
            '    if [ -n "$completions" ]; then',
            "    if [ -n \"$keys\" ]; then\n        compadd -S '' -U -V unsorted -a keys\n    fi\n\n"
            '    if [ -n "$completions" ]; then',
        )
    )


def install() -> None:
    """Use these classes for ``bash`` and ``zsh`` (fish keeps click's own)."""
    add_completion_class(VpkitBashComplete, "bash")
    add_completion_class(VpkitZshComplete, "zsh")
