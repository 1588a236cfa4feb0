"""Run files: YAML loading, ``--set`` overrides, validation with errors that point into the file.

A run file names its components; each component block is ``name:`` plus that component's own
options, validated against its ``Config``. Validation is complete before any work starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vpkit import plugins
from vpkit.batches import check_device
from vpkit.components import ClipSpec, Component
from vpkit.errors import ConfigError
from vpkit.suggest import did_you_mean
from vpkit.yamlpos import line_of, load_with_lines

#: Where component blocks sit in a run file, and the kind each names.
BLOCKS: dict[tuple[str, ...], str] = {
    ("source",): "source",
    ("model", "generator"): "generator",
    ("model", "discriminator"): "discriminator",
}


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClipConfig(Section):
    frames: int = Field(32, gt=0, description="Frames per clip.")
    size: int = Field(64, gt=0, description="Height and width of every frame, in pixels.")


class ComponentBlock(Section):
    name: str
    model_config = ConfigDict(extra="allow")

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class ModelConfig(Section):
    generator: ComponentBlock = Field(description="`name:` of a registered generator, plus its options.")
    discriminator: ComponentBlock = Field(description="`name:` of a registered discriminator, plus its options.")


class ScheduleConfig(Section):
    d_steps: int = Field(1, ge=1, description="Discriminator updates per step.")
    g_steps: int = Field(1, ge=1, description="Generator updates per step.")
    g_extra_every: int = Field(
        0, ge=0, description="One more generator update on every k-th step (1-based); 0 turns it off."
    )


class TrainConfig(Section):
    steps: int = Field(1000, gt=0, description="Training steps.")
    batch_size: int = Field(16, gt=0, description="Clips per batch.")
    lr: float = Field(2e-4, gt=0, description="Adam learning rate for both networks.")
    betas: tuple[float, float] = Field((0.5, 0.999), description="Adam betas.")
    schedule: ScheduleConfig = Field(
        default_factory=ScheduleConfig, description="Update schedule; unset keys take the generator's default."
    )
    device: str = Field("auto", description="auto (CUDA when present, else CPU), cpu, cuda or cuda:N.")
    log_every: int = Field(10, gt=0, description="Steps between TensorBoard scalar writes.")
    sample_every: int = Field(200, gt=0, description="Steps between sample grids.")
    checkpoint_every: int = Field(200, gt=0, description="Steps between checkpoints.")
    samples: int = Field(8, gt=0, description="Videos in each sample grid.")
    fps: float = Field(8.0, gt=0, description="Frame rate of written sample videos.")

    @field_validator("device")
    @classmethod
    def _known_device(cls, value: str) -> str:
        return check_device(value)


class EvaluationConfig(Section):
    every: int = Field(1000, gt=0, description="Steps between evaluations of the run's metrics during training (and after the last step).")
    videos: int = Field(256, gt=0, description="Videos generated, and real clips used, per evaluation.")
    split: Literal["train", "val"] = Field("val", description="Split whose clips are the real set (and the first frames of predictions).")
    best: str | None = Field(None, description="Metric that picks checkpoints/best.pt; default the first of metrics.")
    batch_size: int = Field(16, gt=0, description="Videos generated per batch during evaluation.")


class OutputConfig(Section):
    dir: str | None = Field(None, description="Run directory; default runs/<run file stem>.")
    cache_dir: str | None = Field(None, description="Clip stores and downloads; default $VPKIT_CACHE or ~/.cache/vpkit.")


class RunConfig(Section):
    seed: int = Field(0, description="Seeds the model initialisation, the batch order and the sample latents.")
    clip: ClipConfig = Field(default_factory=ClipConfig, description="Clip length and size, shared by the source and the models.")
    source: ComponentBlock = Field(description="`name:` of a registered source, plus its options.")
    model: ModelConfig = Field(description="The generator and the discriminator.")
    train: TrainConfig = Field(default_factory=TrainConfig, description="Optimisation, update schedule, logging and checkpoints.")
    metrics: list[ComponentBlock] = Field(default_factory=list, description="Metrics, each a `name:` plus its options.")
    evaluation: EvaluationConfig = Field(
        default_factory=EvaluationConfig, description="When and on what the metrics are evaluated during training."
    )
    output: OutputConfig = Field(default_factory=OutputConfig, description="Where the run and the clip stores are written.")


@dataclass
class Resolved:
    """One validated component: its class and its validated options."""

    cls: type[Component]
    config: BaseModel

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

    @property
    def stem(self) -> str:
        return self.path.stem

    def resolved_dict(self) -> dict[str, Any]:
        """The full configuration with every default filled in, as written into the run directory."""
        data = self.config.model_dump(mode="json")
        data["source"] = self.source.to_dict()
        data["model"] = {"generator": self.generator.to_dict(), "discriminator": self.discriminator.to_dict()}
        data["metrics"] = [m.to_dict() for m in self.metrics]
        return data


class _Errors:
    """Collects errors as ``file:line: yaml.path: message`` lines."""

    def __init__(self, path: Path, lines: dict, overridden: dict[tuple, str]):
        self.path, self.lines, self.overridden, self.messages = path, lines, overridden, []

    def add(self, loc: tuple, message: str) -> None:
        dotted = _dotted(loc)
        for key, flag in self.overridden.items():
            if loc[: len(key)] == key:
                self.messages.append(f"--set {flag}: {message}")
                return
        line = line_of(self.lines, loc)
        where = f"{self.path.name}:{line}" if line else self.path.name
        self.messages.append(f"{where}: {dotted}: {message}" if dotted else f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ConfigError("\n".join(self.messages))


def load_run(path: str | os.PathLike, overrides: list[str] = ()) -> Run:
    """Read, override, validate and resolve a run file; raise ConfigError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such run file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read run file ({exc})") from None
    try:
        data, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark else path.name
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: a run file is a mapping of sections (source, model, train, ...)")

    _normalise_blocks(data)
    overridden = _apply_overrides(data, overrides)
    errors = _Errors(path, lines, overridden)
    try:
        config = RunConfig.model_validate(data)
    except ValidationError as exc:
        _report(errors, exc, RunConfig, ())
        errors.raise_if_any()
    clip = ClipSpec(config.clip.frames, config.clip.size)
    source = _resolve(errors, "source", config.source, ("source",), clip)
    generator = _resolve(errors, "generator", config.model.generator, ("model", "generator"), clip)
    discriminator = _resolve(errors, "discriminator", config.model.discriminator, ("model", "discriminator"), clip)
    metrics = [_resolve(errors, "metric", m, ("metrics", i), clip) for i, m in enumerate(config.metrics)]
    _check_metrics(errors, config, generator, metrics)
    errors.raise_if_any()
    _fill_schedule(config.train.schedule, generator.cls)
    return Run(path, config, clip, source, generator, discriminator, metrics)


def _normalise_blocks(data: dict) -> None:
    """A bare string is shorthand for ``{name: ...}``."""
    for block_path in BLOCKS:
        parent = data
        for key in block_path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and isinstance(parent.get(block_path[-1]), str):
            parent[block_path[-1]] = {"name": parent[block_path[-1]]}
    if isinstance(data.get("metrics"), list):
        data["metrics"] = [{"name": m} if isinstance(m, str) else m for m in data["metrics"]]


def _apply_overrides(data: dict, overrides: list[str]) -> dict[tuple, str]:
    """Apply ``KEY=VALUE`` overrides (values typed by YAML); return the paths they set."""
    overridden: dict[tuple, str] = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item}: expected KEY=VALUE, e.g. train.lr=1e-4")
        parts = tuple(int(p) if p.isdigit() else p for p in key.strip().split("."))
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            value = raw
        node = data
        for i, part in enumerate(parts[:-1]):
            nxt = node[part] if _has(node, part) else None
            if nxt is None and isinstance(node, dict):
                nxt = node[part] = {}
            if not isinstance(nxt, (dict, list)):
                raise ConfigError(f"--set {key}: {'.'.join(map(str, parts[: i + 1]))} is not a section")
            node = nxt
        if isinstance(node, list) and not (isinstance(parts[-1], int) and parts[-1] < len(node)):
            raise ConfigError(f"--set {key}: index out of range")
        node[parts[-1]] = value
        if parts[-1] == "name" or parts in BLOCKS or parts[:1] == ("metrics",):
            _normalise_blocks(data)
        overridden[parts] = key.strip()
    return overridden


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _resolve(errors: _Errors, kind: str, block: ComponentBlock, loc: tuple, clip: ClipSpec) -> Resolved | None:
    try:
        cls = plugins.registry(kind).get(block.name)
    except ConfigError as exc:
        errors.add((*loc, "name"), exc.message)
        return None
    try:
        config = cls.Config.model_validate(block.options)
    except ValidationError as exc:
        _report(errors, exc, cls.Config, loc)
        return None
    try:
        cls.check_clip(config, clip)
    except ValueError as exc:
        errors.add(("clip",), f"{kind} {cls.name!r} cannot make these clips: {exc}")
        return None
    return Resolved(cls, config)


def _check_metrics(errors: _Errors, config: RunConfig, generator: Resolved | None, metrics: list[Resolved | None]) -> None:
    """Paired metrics need a conditional generator; ``evaluation.best`` names a listed metric."""
    names = [block.name for block in config.metrics]
    for i, metric in enumerate(metrics):
        if metric and generator and metric.cls.paired and not getattr(generator.cls, "conditional", False):
            errors.add(("metrics", i, "name"), f"{metric.cls.name} is a paired metric: it needs a conditional generator "
                       f"(one that predicts from a first frame), and {generator.cls.name!r} is unconditional")
    best = config.evaluation.best
    if best is not None and best not in names:
        listed = ", ".join(names) or "none"
        errors.add(("evaluation", "best"), f"{best!r} is not one of the run's metrics{did_you_mean(best, names)}; listed: {listed}")


def _fill_schedule(schedule: ScheduleConfig, generator: type[Component]) -> None:
    """Keys the run file leaves unset take the generator's ``default_schedule``."""
    for key, value in getattr(generator, "default_schedule", {}).items():
        if key not in schedule.model_fields_set:
            setattr(schedule, key, value)


def _report(errors: _Errors, exc: ValidationError, model: type[BaseModel], prefix: tuple) -> None:
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind, ctx, given = err["type"], err.get("ctx", {}), err.get("input")
        if kind == "extra_forbidden":
            known = _fields_at(model, loc[:-1])
            errors.add((*prefix, *loc), f"unknown key {loc[-1]!r}{did_you_mean(str(loc[-1]), known)}; allowed: {', '.join(known)}")
        elif kind == "missing":
            errors.add((*prefix, *loc[:-1]), f"missing required key {loc[-1]!r}")
        elif kind in _BOUNDS:
            bound = next(iter(ctx.values()))
            errors.add((*prefix, *loc), f"must be {_BOUNDS[kind]} {bound}, got {given!r}")
        else:
            message = err["msg"].removeprefix("Value error, ")
            message = message[0].lower() + message[1:]
            shown = given if not isinstance(given, dict) else "a mapping"
            errors.add((*prefix, *loc), f"{message}, got {shown!r}" if "got" not in message else message)


_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the fields of the (nested) model found at ``loc``, for did-you-mean hints."""
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, list, Literal) or get_args(annotation):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
