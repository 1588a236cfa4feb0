"""A folder of footage for the folder source (the HTTP server is in tests/conftest.py)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def video_dir(tmp_path, media):
    """A folder of footage: good files in nested folders, plus broken ones."""
    root = tmp_path / "footage"
    (root / "games" / "2024").mkdir(parents=True)
    shutil.copy(media["plain"], root / "games" / "plain.mp4")
    shutil.copy(media["cut"], root / "games" / "2024" / "cut.MP4")
    shutil.copy(media["webm"], root / "clip.webm")
    shutil.copy(media["text"], root / "notes.mp4")
    (root / "readme.txt").write_text("not footage")
    return root
