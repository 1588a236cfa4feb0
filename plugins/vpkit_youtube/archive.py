"""The download archive: raw files kept under their shard key, each with a metadata sidecar.

yt-dlp writes a download to ``<key>.<ext>.part`` and renames it when complete, so a file
named ``<key>.<ext>`` is a finished download; a later run (or a store built with other
settings) finds it here and downloads nothing. The sidecar keeps what provenance needs
(id, URL, title) so no request is made for it either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit import write_json

#: Files beside a download that are not the download: yt-dlp's partial files and our metadata sidecar.
NOT_DOWNLOADS = (".part", ".ytdl", ".tmp", ".json")


class Archive:
    def __init__(self, root: Path):
        self.root = Path(root)

    def template(self, key: str) -> Path:
        """The yt-dlp output template for ``key``'s download."""
        return self.root / f"{key}.%(ext)s"

    def find(self, key: str) -> Path | None:
        """The finished download for ``key``, if there is one."""
        for path in sorted(self.root.glob(f"{key}.*")):
            if path.stem == key and not path.name.endswith(NOT_DOWNLOADS) and not path.name.startswith("."):
                return path
        return None

    def meta(self, key: str) -> dict[str, Any]:
        try:
            return json.loads((self.root / f"{key}.json").read_text())
        except (OSError, ValueError):
            return {}

    def remember(self, key: str, meta: dict[str, Any]) -> None:
        write_json(self.root / f"{key}.json", meta)

    def forget(self, key: str) -> None:
        """Delete ``key``'s download and sidecar (when raw files are not kept)."""
        for path in (self.find(key), self.root / f"{key}.json"):
            if path is not None:
                path.unlink(missing_ok=True)
