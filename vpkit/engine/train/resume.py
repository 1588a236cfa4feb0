"""What a resumed run may change, and what it must keep, from the run in its checkpoint.

The clips and the models must stay the same (the source is compared through its store
fingerprint, which ignores options such as rate limits); anything else (more steps, another
learning rate, other logging) may change, and the run says what changed. A run already past
the steps asked for is refused rather than reported as finished at a step the config denies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vpkit.config.runfile import Run
from vpkit.errors import ConfigError
from vpkit.flat import differences

#: Parts of the resolved config a resumed run must share with its checkpoint.
SAME_ON_RESUME = ("clip", "model")


def check_resume(state: dict[str, Any], run: Run, store: dict[str, Any], run_dir: Path) -> list[str]:
    """Raise :class:`ConfigError` naming every setting that differs where it must not (with both
    values) or a step past ``train.steps``; return the settings that differ where they may.
    ``store`` is the fingerprint of the clip store this run trains on (from its manifest)."""
    saved, current = state.get("config", {}), run.resolved_dict()
    saved = {**saved, "model": with_later_options(saved.get("model"), run)}
    kept = [
        *differences({k: saved.get(k) for k in SAME_ON_RESUME}, {k: current.get(k) for k in SAME_ON_RESUME}),
        *differences({"source": (state.get("store") or {}).get("source")}, {"source": store["source"]}),
    ]
    if kept:
        shown = "; ".join(f"{key}: {_shown(before)} there, {_shown(after)} now" for key, before, after in kept)
        raise ConfigError(
            f"--resume: the checkpoint in {run_dir} was trained with other settings ({shown}); "
            "resume with the same settings, or start a new run without --resume"
        )
    step, steps = int(state["step"]), run.config.train.steps
    if steps < step:
        raise ConfigError(
            f"--resume: the run in {run_dir} is already at step {step}, past train.steps={steps}; "
            f"ask for more steps, e.g. --set train.steps={2 * step}"
        )
    free = lambda config: {k: v for k, v in config.items() if k not in SAME_ON_RESUME}  # noqa: E731
    return [
        f"{key} {_shown(before)} -> {_shown(after)}" for key, before, after in differences(free(saved), free(current))
    ]


def with_later_options(model: Any, run: Run) -> Any:
    """The checkpoint's model blocks with the options their components gained since, at their
    defaults: a new option's default keeps the old behaviour, so the checkpoint was trained with it
    and still resumes."""
    if not isinstance(model, dict):
        return model
    filled = dict(model)
    for key, resolved in (("generator", run.generator), ("discriminator", run.discriminator)):
        block = filled.get(key)
        if isinstance(block, dict) and block.get("name") == resolved.cls.name:
            defaults = resolved.cls.Config.model_construct().model_dump(mode="json")
            filled[key] = {**defaults, **block}
    return filled


def _shown(value: Any) -> str:
    return json.dumps(value, default=str)
