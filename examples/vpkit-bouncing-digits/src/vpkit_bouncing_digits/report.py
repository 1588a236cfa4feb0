"""The ``markdown_report`` logger: one Markdown page per run, rewritten as training goes.

``report.md`` in the run directory shows the run's settings, the latest training scalars,
every evaluation so far and the latest sample grid; any Markdown viewer (an editor, a git
forge, ``mkdocs``) shows it. It proves that a logger is a plugin like any other component.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from vpkit import Logger, Options, atomic_path, flatten


class MarkdownReport(Logger):
    """A Markdown page with the settings, the latest losses, the evaluations and the latest samples."""

    name = "markdown_report"

    class Config(Options):
        file: str = Field("report.md", min_length=1, description="The page, relative to the run directory.")

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        self.run_dir = Path(run_dir)
        self.settings = flatten(hyperparameters)
        self.latest: dict[str, float] = {}
        self.evaluations: list[dict[str, Any]] = []
        self.sample: Path | None = None
        self.step = step

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        self.step = step
        if section == "metrics":
            self.evaluations.append({"step": step, **values})
        else:
            self.latest = values

    def log_video(self, name, frames, fps, files: list[Path], step: int) -> None:
        self.sample = next((path for path in files if path.suffix == ".gif"), self.sample)

    def flush(self) -> None:
        """Written at every checkpoint (and at the end), not at every step."""
        lines = [f"# {self.run_dir.name}: step {self.step}", "", "## Latest training scalars", ""]
        lines += [f"- {key}: {_number(value)}" for key, value in self.latest.items()] or ["(none yet)"]
        if self.evaluations:
            names = [key for key in self.evaluations[-1] if key != "step"]
            lines += ["", "## Evaluations", "", "| step | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
            lines += [
                "| " + " | ".join([str(row["step"]), *(_number(row.get(name)) for name in names)]) + " |"
                for row in self.evaluations
            ]
        if self.sample is not None:
            lines += ["", "## Latest samples", "", f"![samples]({self.sample.relative_to(self.run_dir).as_posix()})"]
        lines += ["", "## Settings", "", "| key | value |", "|---|---|"]
        lines += [f"| `{key}` | `{value}` |" for key, value in self.settings.items()]
        with atomic_path(self.run_dir / self.config.file) as tmp:
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def close(self, status: str) -> None:
        self.flush()


def _number(value) -> str:
    return f"{value:.4g}" if isinstance(value, (int, float)) else ""
