"""vpkit: a plugin-based toolkit for video prediction.

This module is the public API a plugin author imports; nothing else in ``vpkit`` is public.

Each name is imported from its module on first use (PEP 562), so ``from vpkit import
hookimpl, Options`` costs no torch import: a plugin's entry point, ``vpkit --help``,
``vpkit validate`` and shell completion stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Every public name and the module that defines it.
_EXPORTS = {
    "FOOTAGE_SUFFIXES": "vpkit.video.files",
    "ClipDataset": "vpkit.data.clips",
    "ClipSpec": "vpkit.clip_spec",
    "ClipStore": "vpkit.data.clips",
    "ClipWriter": "vpkit.data.clips",
    "Component": "vpkit.components",
    "ConfigError": "vpkit.errors",
    "Discriminator": "vpkit.networks",
    "ExtractOptions": "vpkit.video.extract_options",
    "Extraction": "vpkit.video.extract",
    "Generator": "vpkit.networks",
    "GeneratorOutput": "vpkit.components",
    "GeneratorTraits": "vpkit.components",
    "JsonlLog": "vpkit.engine.train.jsonl_log",
    "Logger": "vpkit.components",
    "Metric": "vpkit.components",
    "Options": "vpkit.components",
    "PinnedDownload": "vpkit.weights.pinned",
    "Progress": "vpkit.progress",
    "RunLayout": "vpkit.engine.run_layout",
    "ShippedModel": "vpkit.components",
    "SkipVideo": "vpkit.data.videosource",
    "Source": "vpkit.components",
    "TrainedGenerator": "vpkit.engine.generate",
    "Video": "vpkit.data.videosource",
    "VideoError": "vpkit.video.extract",
    "VideoSource": "vpkit.data.videosource",
    "VpkitError": "vpkit.errors",
    "WeightPackage": "vpkit.weights.packages",
    "Weights": "vpkit.weights.pinned",
    "atomic_path": "vpkit.atomic",
    "bootstrap_interval": "vpkit.engine.evaluate.intervals",
    "cached_download": "vpkit.weights.download",
    "clips_to_tensor": "vpkit.video.files",
    "cut_scores": "vpkit.video.scenecut",
    "default_cache_dir": "vpkit.cache",
    "extract_clips": "vpkit.video.extract",
    "flatten": "vpkit.flat",
    "generate": "vpkit.engine.generate",
    "hookimpl": "vpkit.hookspecs",
    "load_generator": "vpkit.engine.generate",
    "pinned_package": "vpkit.weights.packages",
    "read_video": "vpkit.video.files",
    "sha256_of": "vpkit.weights.download",
    "shard_key": "vpkit.data.videosource",
    "tensor_to_clips": "vpkit.video.files",
    "write_json": "vpkit.atomic",
    "write_video": "vpkit.video.files",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        # AttributeError lets ``from vpkit import plugins`` fall back to importing the submodule.
        raise AttributeError(f"module 'vpkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
