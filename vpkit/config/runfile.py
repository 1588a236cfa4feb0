"""Run files: YAML loading, ``--set`` overrides, validation with errors that point into the file.

A run file names its components; each component block is ``name:`` plus that component's own
options, validated against its ``Config``. Validation is complete before any work starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from vpkit import plugins
from vpkit.clip_spec import ClipSpec
from vpkit.components import KINDS, Component
from vpkit.config.examples import hint_for_missing
from vpkit.config.located import LocatedErrors, report_validation
from vpkit.config.overrides import apply_overrides
from vpkit.config.positions import YamlProblem, decode, load_with_lines
from vpkit.config.schema import (
    ComponentBlock,
    RunConfig,
    ScheduleConfig,
    normalise_blocks,
)
from vpkit.errors import ConfigError
from vpkit.suggest import did_you_mean


@dataclass
class Resolved:
    """One validated component: its class as registered (the component, or its torch-free
    declaration), and its validated options."""

    kind: str
    cls: type[Component]
    config: BaseModel

    def build(self, clip: ClipSpec) -> Component:
        """An instance of the component, its implementation imported if it was declared."""
        return plugins.implementation(self.kind, self.cls)(self.config, clip)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.cls.name, **self.config.model_dump(mode="json")}


@dataclass
class Run:
    """A validated run file with every component resolved to its class."""

    path: Path
    config: RunConfig
    clip: ClipSpec
    source: Resolved
    generator: Resolved
    discriminator: Resolved
    metrics: list[Resolved]
    loggers: list[Resolved]

    @property
    def stem(self) -> str:
        return self.path.stem

    def resolved_dict(self) -> dict[str, Any]:
        """The full configuration with every default filled in, as written into the run directory."""
        data = self.config.model_dump(mode="json")
        data["source"] = self.source.to_dict()
        data["model"] = {"generator": self.generator.to_dict(), "discriminator": self.discriminator.to_dict()}
        data["metrics"] = [m.to_dict() for m in self.metrics]
        data["logging"] = [logger.to_dict() for logger in self.loggers]
        return data

    def resolved_yaml(self) -> str:
        """:meth:`resolved_dict` as a run file: the run directory's ``config.yaml``, ``vpkit validate --print``."""
        return yaml.safe_dump(self.resolved_dict(), sort_keys=False)


def load_run(path: str | os.PathLike, overrides: list[str] = ()) -> Run:
    """Read, override, validate and resolve a run file; raise ConfigError listing every problem."""
    path = Path(path)
    text = None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such run file{hint_for_missing(path)}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read run file ({exc.strerror or exc})") from None
    try:
        text = decode(raw)
        data, lines = load_with_lines(text)
    except YamlProblem as exc:
        where = f"{path.name}:{exc.line}" if exc.line else path.name
        raise ConfigError(f"{where}: {'invalid YAML: ' if text is not None else ''}{exc.message}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: a run file is a mapping of sections (source, model, train, ...)")

    normalise_blocks(data)
    overridden = apply_overrides(data, overrides)
    errors = LocatedErrors(path, lines, overridden)
    try:
        config = RunConfig.model_validate(data)
    except ValidationError as exc:
        report_validation(errors, exc, RunConfig, ())
        errors.raise_if_any()
    clip = ClipSpec(config.clip.frames, config.clip.size, config.clip.context)
    resolved = {}
    for kind in KINDS.values():
        block = _block_at(config, kind.run_file)
        if kind.many:
            resolved[kind.name] = [
                _resolve(errors, kind.name, b, (*kind.run_file, i), clip) for i, b in enumerate(block)
            ]
        else:
            resolved[kind.name] = _resolve(errors, kind.name, block, kind.run_file, clip)
    source, generator, discriminator, metrics, loggers = (
        resolved[k] for k in ("source", "generator", "discriminator", "metric", "logger")
    )
    _check_metrics(errors, config, generator, metrics)
    errors.raise_if_any()
    _fill_schedule(config.train.schedule, generator.cls)
    return Run(path, config, clip, source, generator, discriminator, metrics, loggers)


def _block_at(config: RunConfig, path: tuple[str, ...]) -> Any:
    node = config
    for key in path:
        node = getattr(node, key)
    return node


def _resolve(errors: LocatedErrors, kind: str, block: ComponentBlock, loc: tuple, clip: ClipSpec) -> Resolved | None:
    try:
        cls = plugins.registry(kind).get(block.name)
    except ConfigError as exc:
        errors.add((*loc, "name"), exc.message)
        return None
    try:
        config = cls.Config.model_validate(block.options)
    except ValidationError as exc:
        report_validation(errors, exc, cls.Config, loc)
        return None
    try:
        cls.check_clip(config, clip)
    except ValueError as exc:
        errors.add(("clip",), f"{kind} {cls.name!r} cannot make these clips: {exc}")
        return None
    return Resolved(kind, cls, config)


def _check_metrics(
    errors: LocatedErrors, config: RunConfig, generator: Resolved | None, metrics: list[Resolved | None]
) -> None:
    """Paired metrics need a conditional generator; ``evaluation.best`` names a listed metric."""
    names = [block.name for block in config.metrics]
    for i, metric in enumerate(metrics):
        problem = metric.cls.cannot_score(generator.cls) if metric and generator else None
        if problem:
            errors.add(("metrics", i, "name"), problem)
    best = config.evaluation.best
    if best is not None and best not in names:
        listed = ", ".join(names) or "none"
        errors.add(
            ("evaluation", "best"),
            f"{best!r} is not one of the run's metrics{did_you_mean(best, names)}; listed: {listed}",
        )


def _fill_schedule(schedule: ScheduleConfig, generator: type[Component]) -> None:
    """Keys the run file leaves unset take the generator's ``default_schedule``."""
    for key, value in getattr(generator, "default_schedule", {}).items():
        if key not in schedule.model_fields_set:
            setattr(schedule, key, value)
