"""What a strict mkdocs build does not catch: Markdown that rendered as text instead of markup.

An unclosed code fence leaves its ``` and everything after it as plain text, a link that
Markdown could not parse (inside parentheses, in a table cell) stays ``[text](page.md)``, a
Sphinx role in a docstring (``:meth:`x```) reaches the API page as it is, and an exported name
without a docstring renders as an empty entry. ``rendering_problems`` finds each in a page's
HTML; the hook warns for every one, so ``mkdocs build --strict`` fails on them. The roles the
docstrings use for names (``:meth:`x```) are a house style: ``without_roles`` shows them as the
code they name, and only a role left otherwise is a problem.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements whose text is code, where ``` and [x](y) are what the page means to show.
CODE = {"pre", "code", "script", "style"}
ROLE = r":(?:py:)?(?:meth|func|class|mod|attr|data|exc|obj|const|ref|doc):"
CHECKS = (
    (re.compile(r"```"), "a code fence left open (``` in the text)"),
    (re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"), "Markdown link syntax left as text"),
    (re.compile(ROLE), "a raw Sphinx role"),
)
#: A role the docstrings use (``:meth:`Weights.fetch```), as mkdocstrings renders it: the role, then the code.
ROLE_BEFORE_CODE = re.compile(ROLE + r"(?=<code>)")


def without_roles(html: str) -> str:
    """The page with each Sphinx role of a docstring shown as what it names (its code) alone."""
    return ROLE_BEFORE_CODE.sub("", html)


#: An API entry (mkdocstrings) whose object has no docstring.
EMPTY_ENTRY = re.compile(
    r'<h\d id="([\w.]+)" class="doc doc-heading">(?:(?!<h\d).)*?<div class="doc doc-contents[^"]*">\s*</div>', re.S
)


#: A fence line inside a code block: the block swallowed the text up to the next fence, which
#: means the fence that opened it was never closed where the author meant.
FENCE_IN_CODE = re.compile(r"^\s*```\w*\s*$", re.M)


class _Text(HTMLParser):
    """The text of a page outside code, one chunk per run of text, and the text of each code block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.chunks, self.blocks = 0, [], []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in CODE
        if tag == "pre":
            self.blocks.append("")

    def handle_endtag(self, tag):
        self.depth -= tag in CODE and self.depth > 0

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.chunks.append(data)
        elif self.depth and self.blocks:
            self.blocks[-1] += data


def rendering_problems(html: str) -> list[str]:
    """Each spot in ``html`` where Markdown or a docstring rendered as raw text, with what is there."""
    parser = _Text()
    parser.feed(html)
    problems = []
    for chunk in parser.chunks:
        for pattern, what in CHECKS:
            for match in pattern.finditer(chunk):
                start = max(0, match.start() - 30)
                problems.append(f"{what}: ...{' '.join(chunk[start : match.end() + 30].split())}...")
    for block in parser.blocks:
        for match in FENCE_IN_CODE.finditer(block):
            before = block[: match.start()].strip().splitlines()[-1:] or [""]
            problems.append(f"a code fence inside a code block (one left open before it), after: {before[0][:60]}")
    problems += [f"an empty API entry (no docstring): {name}" for name in EMPTY_ENTRY.findall(html)]
    return problems
