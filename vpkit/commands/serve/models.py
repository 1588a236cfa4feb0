"""The models a server offers: each run directory's generator, loaded once at start and named by its folder.

Names come only from the run directories given on the command line, so nothing a request
says ever becomes a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from vpkit.engine.generate import TrainedGenerator, generate, load_generator
from vpkit.engine.train.grids import output_columns
from vpkit.errors import ConfigError


@dataclass
class ServedModel:
    """A run's trained generator under the name the API and the page use for it."""

    name: str
    trained: TrainedGenerator
    #: The generator's parts that show as videos beside its prediction (e.g. foreground, mask, background).
    parts: list[str]

    @property
    def conditional(self) -> bool:
        return self.trained.generator.conditional

    def describe(self) -> dict:
        """What ``GET /api/models`` says about the model."""
        run = self.trained.run
        return {
            "name": self.name,
            "kind": "conditional" if self.conditional else "unconditional",
            "generator": self.trained.generator.name,
            "frames": run.clip.frames,
            "context": run.clip.context,
            "size": run.clip.size,
            "fps": run.config.train.fps,
            "step": self.trained.step,
            "checkpoint": self.trained.checkpoint.name,
            "parts": self.parts,
        }


def load_models(run_dirs: list[Path], checkpoint: str = "last", device: str = "auto") -> dict[str, ServedModel]:
    """Load every run's generator once from its ``checkpoint`` (``last``, ``best`` or a path, as for
    every command); a user error for an unusable run or two runs with one name."""
    models: dict[str, ServedModel] = {}
    where: dict[str, Path] = {}
    for run_dir in run_dirs:
        name = Path(run_dir).resolve().name
        if name in models:
            raise ConfigError(
                f"{where[name]} and {run_dir} would both be served as {name!r}; give the runs different folder names"
            )
        trained = load_generator(run_dir, checkpoint, device)
        models[name], where[name] = ServedModel(name, trained, _part_names(trained)), run_dir
    return models


def _part_names(trained: TrainedGenerator) -> list[str]:
    """The showable parts, from one generation (which also warms the model up before the first request)."""
    clip = trained.run.clip
    condition = torch.zeros(1, 3, clip.context, clip.size, clip.size) if trained.generator.conditional else None
    with torch.inference_mode():
        names, _ = output_columns(generate(trained.generator, 1, condition, seed=0))
    return names[1:]
