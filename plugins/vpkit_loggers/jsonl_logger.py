"""``log.jsonl``: one JSON object per line with the training scalars of a step.

Evaluation results are not repeated here: the core keeps them in ``metrics.jsonl``, from
which a resumed run recovers its best checkpoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vpkit import JsonlLog, Logger, RunLayout


class JsonlLogger(Logger):
    """Losses, D(x), D(G(z)), learning rate and clips/s to `log.jsonl`, one line per logged step."""

    name = "jsonl"

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        self.log = JsonlLog(RunLayout(run_dir).log)
        self.log.trim(step)

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        if section == "train":
            self.log.append({"step": step, **values})
