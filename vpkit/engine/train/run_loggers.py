"""The run's experiment loggers (``logging:`` in the run file), addressed as one.

The trainer says what happened (scalars of a section, a sample video, a checkpoint reached,
the end) once; each logger plugin decides what to keep of it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vpkit.components import Logger
from vpkit.config.runfile import Run


class RunLoggers:
    def __init__(self, run: Run, run_dir: Path, step: int):
        """Build and start every logger: before the first step, so a logger that cannot start
        (an unreachable server, a missing package) stops the run before any training."""
        self.loggers: list[Logger] = []
        hyperparameters = run.resolved_dict()
        for block in run.loggers:
            logger = block.build(run.clip)
            logger.start(Path(run_dir), hyperparameters, step)
            self.loggers.append(logger)

    @property
    def names(self) -> list[str]:
        return [logger.name for logger in self.loggers]

    def scalars(self, section: str, values: dict[str, float], step: int) -> None:
        for logger in self.loggers:
            logger.log_scalars(section, values, step)

    def video(self, name: str, frames: np.ndarray, fps: float, files: list[Path], step: int) -> None:
        for logger in self.loggers:
            logger.log_video(name, frames, fps, files, step)

    def flush(self) -> None:
        for logger in self.loggers:
            logger.flush()

    def close(self, status: str) -> None:
        for logger in self.loggers:
            logger.close(status)
