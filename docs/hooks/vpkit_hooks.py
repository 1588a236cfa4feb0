"""mkdocs hooks that fill the generated parts of the site from the installed code, and check
what every page rendered to.

A page holding one of the markers in ``MARKERS`` gets the generated Markdown in its place
before it is rendered. Plugin commands are added to the ``vpkit`` click group first, so the
CLI reference (mkdocs-click) lists them beside the core commands. Each rendered page is
checked for Markdown left as text (``vpkit_rendering``): a warning each, which fails a strict build.
"""

from __future__ import annotations

import logging

from vpkit_reference import api_reference, run_file_reference
from vpkit_rendering import rendering_problems, without_roles

log = logging.getLogger("mkdocs.hooks.vpkit")

MARKERS = {
    "<!-- vpkit:run-file-reference -->": run_file_reference,
    "<!-- vpkit:api-reference -->": api_reference,
}


def on_config(config):
    """Register plugin commands before mkdocs-click reads ``vpkit.commands.cli:cli``."""
    from vpkit.commands.cli import add_plugin_commands

    add_plugin_commands()
    return config


def on_page_markdown(markdown, page, config, files):
    """Replace each marker in the page with the Markdown generated for it."""
    for marker, render in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render())
    return markdown


def on_post_page(output, page, config):
    """Show docstrings' Sphinx roles as the code they name; warn for every spot of the rendered page
    where Markdown or a docstring stayed raw text."""
    output = without_roles(output)
    for problem in rendering_problems(output):
        log.warning(f"{page.file.src_path}: {problem}")
    return output
