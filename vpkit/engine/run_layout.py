"""The run directory's layout: the one place that names its files, for every reader and writer.

::

    config.yaml             the resolved configuration (what makes a folder a run directory)
    provenance.json         what trained it, per session
    status.json             running, finished, interrupted or failed, and the step
    checkpoints/last.pt     the training state, written every train.checkpoint_every steps
    checkpoints/best.pt     the best checkpoint by the metrics evaluated during training
    samples/step_NNNNNN.gif the sample grids (and an .mp4 beside each)
    log.jsonl               the training scalars (the jsonl logger)
    metrics.jsonl           the metrics evaluated during training
    metrics.json            what ``vpkit evaluate`` computed
    eval/<name>.png         the pictures of the last ``vpkit evaluate`` (curves over frames, motion)
    tensorboard/            the TensorBoard events (the tensorboard logger; evaluate adds its pictures)

``--checkpoint`` of every command that loads a model names a checkpoint the same way:
``last``, ``best`` or the path of a file (see :meth:`RunLayout.checkpoint`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vpkit.errors import ConfigError

#: The checkpoints a run writes, by the names ``--checkpoint`` accepts for them.
CHECKPOINTS = {"last": "last.pt", "best": "best.pt"}
#: ``--checkpoint``'s help, the same for every command.
CHECKPOINT_HELP = (
    "Checkpoint to load: last (RUN_DIR/checkpoints/last.pt, the default), best (RUN_DIR/checkpoints/best.pt, "
    "the best by the metrics evaluated during training) or the path of a checkpoint file."
)


@dataclass(frozen=True)
class RunLayout:
    """The paths of one run directory's files. ``RunLayout(Path())`` gives them relative to it."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    def existing(self) -> RunLayout:
        """This layout, or a user error when ``root`` is not a run directory (it has no config.yaml)."""
        if not self.config.is_file():
            raise ConfigError(f"{self.root}: not a vpkit run directory (no {self.config.name})")
        return self

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def provenance(self) -> Path:
        return self.root / "provenance.json"

    @property
    def status(self) -> Path:
        return self.root / "status.json"

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    @property
    def last_checkpoint(self) -> Path:
        return self.checkpoints / CHECKPOINTS["last"]

    @property
    def best_checkpoint(self) -> Path:
        return self.checkpoints / CHECKPOINTS["best"]

    @property
    def samples(self) -> Path:
        return self.root / "samples"

    def sample_grid(self, step: int) -> Path:
        """The GIF of the sample grid at ``step``; its MP4 has the same name with ``.mp4``."""
        return self.samples / f"step_{step:06d}.gif"

    @property
    def log(self) -> Path:
        return self.root / "log.jsonl"

    @property
    def metrics_log(self) -> Path:
        return self.root / "metrics.jsonl"

    @property
    def evaluation(self) -> Path:
        return self.root / "metrics.json"

    def evaluation_picture(self, name: str) -> Path:
        return self.root / "eval" / f"{name}.png"

    @property
    def tensorboard(self) -> Path:
        return self.root / "tensorboard"

    def checkpoint(self, choice: str | Path | None = None) -> Path:
        """The checkpoint ``--checkpoint`` names: ``last`` (also for ``None``), ``best``, or any other
        value as the path of a checkpoint file (relative to the working directory, as on a command line)."""
        name = CHECKPOINTS.get(str(choice) if choice is not None else "last")
        return self.checkpoints / name if name else Path(choice)
