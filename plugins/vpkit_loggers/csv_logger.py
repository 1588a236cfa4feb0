"""``train.csv`` and ``metrics.csv``: a spreadsheet-friendly copy of the scalars, one row per step.

A column that appears later (a metric evaluated only from some step on, a generator loss
that switches on) rewrites the file with the wider header, so every row has every column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from vpkit import Logger, atomic_path


class CsvLogger(Logger):
    """Training scalars to `train.csv`, metrics evaluated during training to `metrics.csv`."""

    name = "csv"

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        self.run_dir = Path(run_dir)
        self.tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
        for path in self.run_dir.glob("*.csv"):
            if path.stem in ("train", "metrics"):
                self.tables[path.stem] = self._read(path, step)
                self._write(path.stem)  # rows past the checkpoint's step go

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        columns, rows = self.tables.setdefault(section, (["step"], []))
        row = {"step": step, **values}
        new = [key for key in row if key not in columns]
        rows.append(row)
        if new or len(rows) == 1:
            columns.extend(new)
            self._write(section)
        else:
            with open(self.run_dir / f"{section}.csv", "a", newline="", encoding="utf-8") as file:
                csv.DictWriter(file, columns).writerow(row)

    def _write(self, section: str) -> None:
        columns, rows = self.tables[section]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns)
        writer.writeheader()
        writer.writerows(rows)
        with atomic_path(self.run_dir / f"{section}.csv") as tmp:
            tmp.write_text(buffer.getvalue(), encoding="utf-8")

    @staticmethod
    def _read(path: Path, step: int) -> tuple[list[str], list[dict[str, Any]]]:
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            rows = [row for row in reader if row.get("step", "").isdigit() and int(row["step"]) <= step]
            return list(reader.fieldnames or ["step"]), rows
