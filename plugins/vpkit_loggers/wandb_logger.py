"""Weights & Biases: the configuration, scalars and sample videos of a run.

Offline by default: the run is written under ``<run dir>/wandb`` with no account and no
network, and ``wandb sync <run dir>/wandb/offline-run-*`` uploads it later. ``mode: online``
logs live (it needs ``wandb login``). A resumed run continues the same W&B run, whose id is
kept in ``wandb.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from vpkit import Logger, Options, VpkitError, write_json
from vpkit_loggers.state import read_state

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

STATE = "wandb.json"


class WandbLogger(Logger):
    """The configuration, scalars and sample videos to Weights & Biases (offline unless told otherwise)."""

    name = "wandb"

    class Config(Options):
        mode: Literal["offline", "online"] = Field(
            "offline", description="offline writes files only; online uploads as it goes."
        )
        project: str = Field("vpkit", min_length=1, description="W&B project.")
        entity: str | None = Field(None, description="W&B user or team; default your default entity.")
        name: str | None = Field(None, description="Name of the W&B run; default the run directory's name.")
        tags: list[str] = Field(default_factory=list, description="Tags of the W&B run.")
        videos: bool = Field(True, description="Log the sample grids as videos.")

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        import wandb

        run_dir = Path(run_dir)
        state_path = run_dir / STATE
        previous = read_state(state_path) if step else {}
        try:
            self.run = wandb.init(
                project=self.config.project,
                entity=self.config.entity,
                name=self.config.name or run_dir.name,
                tags=self.config.tags or None,
                config=hyperparameters,
                dir=str(run_dir),
                mode=self.config.mode,
                id=previous.get("id"),
                resume="allow" if previous.get("id") else None,
                settings=wandb.Settings(console="off", silent=True),
            )
        except Exception as exc:  # not logged in, no network in online mode: say so before training
            raise VpkitError(f"wandb logger: cannot start a run ({self.config.mode}): {exc}") from None
        write_json(state_path, {"id": self.run.id, "project": self.config.project, "mode": self.config.mode})

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        self.run.log({f"{section}/{key}": value for key, value in values.items()}, step=step)

    def log_video(self, name: str, frames: np.ndarray, fps: float, files: list[Path], step: int) -> None:
        import wandb

        gif = next((path for path in files if path.suffix == ".gif"), None)
        if self.config.videos and gif is not None:
            self.run.log({name: wandb.Video(str(gif), format="gif")}, step=step)

    def close(self, status: str) -> None:
        self.run.finish(exit_code=0 if status == "finished" else 1)
