"""Logs of one JSON object per line (``log.jsonl``, ``metrics.jsonl``) that a resumed run continues.

A resumed run keeps only the lines up to its checkpoint's step, so each log reads as one
run. A torn last line (a kill or a full disk in the middle of an append) is dropped, not
fatal: it is the line of a step that the checkpoint did not reach anyway.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit.atomic import WriteError, write_text


class JsonlLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def records(self) -> list[dict[str, Any]]:
        """Every complete record in the file, in order."""
        if not self.path.exists():
            return []
        records = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("step"), int):
                records.append(record)
        return records

    def trim(self, step: int) -> list[dict[str, Any]]:
        """Drop the records past ``step`` (and any torn line); return the ones kept."""
        kept = [record for record in self.records() if record["step"] <= step]
        if self.path.exists():
            write_text(self.path, "".join(json.dumps(record) + "\n" for record in kept))
        return kept

    def append(self, record: dict[str, Any]) -> None:
        try:
            with open(self.path, "a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
        except OSError as exc:  # a full disk: the lines before stay, a torn last one is dropped on resume
            raise WriteError(self.path, exc, "the log") from None
