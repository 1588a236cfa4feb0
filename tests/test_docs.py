"""Guards: every hook, every option of every bundled component and every command is documented.

The generated parts are checked by calling the generators the mkdocs hooks call (and
rendering the CLI page with mkdocs-click), so no full site build runs here; CI builds the
site with ``mkdocs build --strict`` on top.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from importlib import metadata
from pathlib import Path

import click
import markdown
import pytest
from pydantic import BaseModel

import vpkit
from vpkit import hookspecs, plugins
from vpkit.commands.cli import add_plugin_commands, cli
from vpkit.components import KINDS
from vpkit.config.options import model_in
from vpkit.config.schema import ComponentBlock, RunConfig

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _load_reference():
    spec = importlib.util.spec_from_file_location("vpkit_reference", DOCS / "hooks" / "vpkit_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_reference()


def hook_names() -> list[str]:
    return [name for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "vpkit_spec")]


def sections(text: str) -> dict[str, str]:
    """Markdown headings (their text) mapped to the text under them, up to the next heading."""
    parts = re.split(r"^#{1,6} (.+)$", text, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=False)}


def model_fields(model: type[BaseModel], path: str):
    """(section path, field name) for every field of ``model`` and of the models nested in it."""
    for name, field in model.model_fields.items():
        yield path, name
        nested = model_in(field.annotation)
        if nested is not None and nested is not ComponentBlock:
            yield from model_fields(nested, f"{path}.{name}" if path else name)


def commands(group: click.Command, path: str = "vpkit"):
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, f"{path} {name}")


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_section_with_an_example(hook):
    page = sections((DOCS / "writing-plugins.md").read_text())
    assert f"`{hook}`" in page, f"docs/writing-plugins.md has no heading `{hook}`"
    body = page[f"`{hook}`"]
    assert "```python" in body, f"the `{hook}` section of docs/writing-plugins.md shows no example"


@pytest.mark.parametrize("hook", hook_names())
def test_every_documented_hook_signature_matches_hookspecs(hook):
    """As datasette does: the signature in the docs, and in every example implementing the
    hook, is the one in vpkit/hookspecs.py."""
    signature = f"{hook}({', '.join(inspect.signature(getattr(hookspecs, hook)).parameters)})"
    body = sections((DOCS / "writing-plugins.md").read_text())[f"`{hook}`"]
    assert f"`{signature}`" in body, f"the `{hook}` section of docs/writing-plugins.md does not state `{signature}`"
    documented = (DOCS / "writing-plugins.md").read_text() + (ROOT / "README.md").read_text()
    for snippet in [*(DOCS / "snippets").glob("*.py"), *(ROOT / "examples").rglob("*.py")]:
        documented += snippet.read_text()
    for found in re.findall(rf"def {hook}\(([^)]*)\)", documented):
        params = [p.strip() for p in found.split(",") if p.strip() and p.strip() != "self"]
        assert f"{hook}({', '.join(params)})" == signature, f"an example defines {hook}({found})"


def test_hooks_are_found():
    assert {
        "register_sources",
        "register_generators",
        "register_discriminators",
        "register_metrics",
        "register_commands",
    } <= set(hook_names())


def test_run_file_reference_lists_every_core_option():
    generated = reference.run_file_reference()
    page = sections(generated)
    for path, name in model_fields(RunConfig, ""):
        title = f"`{path}` {{ #{reference.anchor(path)} }}" if path else "Top level { #top-level }"
        assert title in page, f"no section for {path}"
        assert f"| `{name}` |" in page[title], f"{path}.{name} missing from the run-file reference"


def test_run_file_reference_lists_every_bundled_component_option():
    page = sections(reference.run_file_reference())
    bundled_plugins = {ep.name for ep in metadata.entry_points(group="vpkit") if ep.dist and ep.dist.name == "vpkit"}
    bundled = 0
    for kind in KINDS:
        reg = plugins.registry(kind)
        for name, cls in reg.classes.items():
            if reg.providers[name] not in bundled_plugins:
                continue
            title = f"`{name}` {{ #{reference.anchor(kind)}-{reference.anchor(name)} }}"
            assert title in page, f"{kind} {name!r} missing from the run-file reference"
            bundled += 1
            text = "".join(body for heading, body in page.items() if heading == title or f"`{kind}.{name}." in heading)
            for _, option in model_fields(cls.Config, f"{kind}.{name}"):
                assert f"| `{option}` |" in text, f"option {option!r} of {kind} {name!r} missing from the reference"
    assert bundled >= 3


def test_generated_parts_have_a_place_in_the_site():
    assert "<!-- vpkit:run-file-reference -->" in (DOCS / "reference" / "run-file.md").read_text()
    assert "<!-- vpkit:api-reference -->" in (DOCS / "reference" / "api.md").read_text()
    assert "docs/hooks/vpkit_hooks.py" in (ROOT / "mkdocs.yml").read_text()


def test_api_reference_covers_the_public_api_only():
    blocks = re.findall(r"^::: (vpkit\.\S+)$", reference.api_reference(), flags=re.M)
    assert [block.rsplit(".", 1)[1] for block in blocks] == vpkit.__all__


def test_cli_reference_documents_every_command():
    add_plugin_commands()
    html = markdown.markdown(
        (DOCS / "reference" / "cli.md").read_text(), extensions=["attr_list", "tables", "mkdocs-click"]
    )
    headings = {re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h\d[^>]*>(.*?)</h\d>", html)}
    for path in commands(cli):
        assert path in headings, f"`{path}` is missing from docs/reference/cli.md"
