"""vpkit: a plugin-based toolkit for video prediction.

This module is the public API a plugin author imports; nothing else in ``vpkit`` is public.
"""

from vpkit.atomic import atomic_path, write_json
from vpkit.clip_spec import ClipSpec
from vpkit.components import (
    Discriminator,
    Generator,
    GeneratorOutput,
    Metric,
    Options,
    Source,
)
from vpkit.data.clips import ClipDataset, ClipStore, ClipWriter
from vpkit.data.download import cached_download, default_cache_dir, sha256_of
from vpkit.data.videosource import SkipVideo, Video, VideoSource, shard_key
from vpkit.data.weight_packages import WeightPackage, pinned_package
from vpkit.data.weights import PinnedDownload, Weights
from vpkit.engine.generate import TrainedGenerator, generate, load_generator
from vpkit.engine.intervals import bootstrap_interval
from vpkit.errors import ConfigError, VpkitError
from vpkit.hookspecs import hookimpl
from vpkit.progress import Progress
from vpkit.video.extract import (
    Extraction,
    ExtractOptions,
    VideoError,
    extract_clips,
    split_for,
)
from vpkit.video.files import (
    FOOTAGE_SUFFIXES,
    clips_to_tensor,
    read_video,
    tensor_to_clips,
    write_video,
)

__version__ = "0.1.0"

__all__ = [
    "FOOTAGE_SUFFIXES",
    "ClipDataset",
    "ClipSpec",
    "ClipStore",
    "ClipWriter",
    "ConfigError",
    "Discriminator",
    "ExtractOptions",
    "Extraction",
    "Generator",
    "GeneratorOutput",
    "Metric",
    "Options",
    "PinnedDownload",
    "Progress",
    "SkipVideo",
    "Source",
    "TrainedGenerator",
    "Video",
    "VideoError",
    "VideoSource",
    "VpkitError",
    "WeightPackage",
    "Weights",
    "atomic_path",
    "bootstrap_interval",
    "cached_download",
    "clips_to_tensor",
    "default_cache_dir",
    "extract_clips",
    "generate",
    "hookimpl",
    "load_generator",
    "pinned_package",
    "read_video",
    "sha256_of",
    "shard_key",
    "split_for",
    "tensor_to_clips",
    "write_json",
    "write_video",
]
