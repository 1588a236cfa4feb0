"""The docs build fails where Markdown rendered as text (docs/hooks/vpkit_rendering.py): the check
bites on each kind of slip, and the site as it stands builds strictly with it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

ROOT = Path(__file__).parent.parent
EXTENSIONS = ["attr_list", "md_in_html", "tables", "pymdownx.superfences"]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rendering = _load("vpkit_rendering")


def problems(text: str) -> list[str]:
    return rendering.rendering_problems(markdown.markdown(text, extensions=EXTENSIONS))


def test_clean_markdown_has_no_problems():
    text = "See [the page](a.md) and `[x](y)` in code.\n\n```markdown\n[kept](as-is.md), :meth:`too`\n```\n"
    assert problems(text) == []


def test_an_unclosed_fence_swallowing_a_heading():
    text = "Intro:\n\n```text\nbanner\n\n## A heading\n\nMore:\n\n```text\nerror\n```\n"
    (problem,) = problems(text)
    assert problem.startswith("a code fence inside a code block (one left open before it)")


def test_a_link_markdown_left_alone_inside_html():
    text = '<figure markdown="span">\n  <figcaption>A caption ([its FVD](quality.md)).</figcaption>\n</figure>\n'
    (problem,) = problems(text)
    assert problem.startswith("Markdown link syntax left as text") and "[its FVD](quality.md)" in problem
    assert problems(text.replace("<figcaption>", '<figcaption markdown="span">')) == []


def test_roles_before_code_become_the_code_and_other_roles_are_problems():
    html = markdown.markdown("Raised by :meth:`Weights.fetch`; see :ref:here.", extensions=EXTENSIONS)
    shown = rendering.without_roles(html)
    assert "Raised by <code>Weights.fetch</code>" in shown
    (problem,) = rendering.rendering_problems(shown)
    assert problem.startswith("a raw Sphinx role") and ":ref:here" in problem


def test_an_api_entry_without_a_docstring():
    entry = (
        '<h2 id="vpkit.atomic.write_json" class="doc doc-heading"><code>write_json(path, obj)</code></h2>\n'
        '<div class="doc doc-contents first">\n\n\n</div>'
    )
    assert rendering.rendering_problems(entry) == ["an empty API entry (no docstring): vpkit.atomic.write_json"]


def test_the_site_builds_strictly_with_the_check(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    pytest.importorskip("material")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text()
    assert ":meth:" not in api and "<code>" in api
