"""Trained models that plugins ship (``--model NAME``), and ``vpkit export``, which makes one from a run.

A shipped model is a small run directory inside a plugin's package: ``config.yaml`` and a
checkpoint that holds what every reader needs and nothing a resumed run would (no optimiser or
random-number states). Its SHA-256 is pinned where the plugin registers it, and checked before
the checkpoint is read, as for downloaded weights.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from vpkit import plugins
from vpkit.components import ShippedModel
from vpkit.engine.checkpoint import TO_LOAD, load_checkpoint, save_checkpoint
from vpkit.engine.run_layout import RunLayout
from vpkit.errors import ConfigError, VpkitError, shown
from vpkit.suggest import did_you_mean
from vpkit.weights.download import sha256_of

#: What an exported checkpoint keeps: the weights, the step, and where they came from.
EXPORTED = (*TO_LOAD, "store", "vpkit_version")


def shipped_model(name: str) -> ShippedModel:
    """The model called ``name``, its checkpoint checked against the pin; a user error otherwise."""
    models = plugins.shipped_models()
    if name not in models:
        raise ConfigError(
            f"no shipped model {shown(name)}{did_you_mean(name, models)}; "
            f"available: {', '.join(sorted(models)) or 'none (no installed plugin ships one)'}"
        )
    model, provider = models[name]
    checkpoint = RunLayout(model.run_dir).last_checkpoint
    if not checkpoint.is_file() or sha256_of(checkpoint) != model.sha256:
        state = "is missing" if not checkpoint.is_file() else "does not have the SHA-256 its plugin pins"
        raise VpkitError(
            f"{checkpoint}: the checkpoint of model {name!r} {state}; "
            f"reinstall the package of plugin {provider!r} (pip install --force-reinstall)"
        )
    return model


def export_model(run_dir: Path, target: Path, checkpoint: str | Path = "last") -> str:
    """Write ``run_dir``'s config and ``checkpoint``, less its training state, as a shipped model's
    folder ``target`` (which must not exist yet); return the new checkpoint's SHA-256."""
    source = RunLayout(run_dir).existing()
    if target.exists():
        raise ConfigError(f"{target}: already exists; give a new folder")
    state = load_checkpoint(source.checkpoint(checkpoint))
    exported = RunLayout(target)
    try:
        exported.checkpoints.mkdir(parents=True)
        shutil.copyfile(source.config, exported.config)
    except OSError as exc:
        raise VpkitError(f"{target}: cannot write there ({exc.strerror})") from None
    save_checkpoint(exported.last_checkpoint, {key: state[key] for key in EXPORTED if key in state})
    return sha256_of(exported.last_checkpoint)
