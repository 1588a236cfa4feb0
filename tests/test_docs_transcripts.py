"""The transcripts in the README and the docs are what the commands print at this commit
(docs/assets/make.py transcripts writes them; run it when a message or a shipped run file changes)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
spec = importlib.util.spec_from_file_location("make_assets", ROOT / "docs" / "assets" / "make.py")
make = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make)


def shown(page: Path, name: str) -> str:
    """The block a page shows after the transcript's marker."""
    text = page.read_text()
    after = text[text.index(make.MARKER.format(name)) :]
    return re.search(r"```\w*\n(.*?)```", after, re.S).group(1)


def test_the_validation_errors_shown_are_the_ones_vpkit_prints(tmp_path):
    printed = make.validate_errors(tmp_path)
    assert printed.count("Error: ") == 3 and "Traceback" not in printed
    for page in make.PAGES:
        assert shown(page, "validate-errors") == printed, f"{page.name}: run `python docs/assets/make.py transcripts`"


def test_a_transcript_replaces_only_its_own_block():
    text = "a\n<!-- transcript: one (note) -->\n```\nold\n```\nb\n```bash\nkept\n```\n"
    assert make.replace_block(text, "one", "new\n") == (
        "a\n<!-- transcript: one (note) -->\n```text\nnew\n```\nb\n```bash\nkept\n```\n"
    )
