"""vpkit: a plugin-based toolkit for video prediction.

This module is the public API a plugin author imports; nothing else in ``vpkit`` is public.
"""

from vpkit.atomic import atomic_path, write_json
from vpkit.clips import ClipDataset, ClipStore, ClipWriter
from vpkit.components import (
    ClipSpec,
    Discriminator,
    Generator,
    GeneratorOutput,
    Metric,
    Options,
    Source,
)
from vpkit.download import cached_download, default_cache_dir, sha256_of
from vpkit.errors import ConfigError, VpkitError
from vpkit.extract import Extraction, ExtractOptions, VideoError, extract_clips, split_for
from vpkit.generate import TrainedGenerator, generate, load_generator
from vpkit.hookspecs import hookimpl
from vpkit.progress import Progress
from vpkit.video import clips_to_tensor, read_video, tensor_to_clips, write_video
from vpkit.videosource import SkipVideo, Video, VideoSource, shard_key

__version__ = "0.1.0"

__all__ = [
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
    "Progress",
    "SkipVideo",
    "Source",
    "TrainedGenerator",
    "Video",
    "VideoError",
    "VideoSource",
    "VpkitError",
    "atomic_path",
    "cached_download",
    "clips_to_tensor",
    "default_cache_dir",
    "extract_clips",
    "generate",
    "hookimpl",
    "load_generator",
    "read_video",
    "sha256_of",
    "shard_key",
    "split_for",
    "tensor_to_clips",
    "write_json",
    "write_video",
]
