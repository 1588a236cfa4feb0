"""Score videos made elsewhere: two video files, or two folders of them (``vpkit score``).

Paired metrics pair files by name (two single files are one pair) and compare each pair at
its own resolution, over the frames both have (the shorter length). Distributional metrics
compare the two sets as they are; their sizes may differ. Below ``MIN_VIDEOS`` videos an
interval (and a distributional value) is n/a, with the reason.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from vpkit import plugins
from vpkit.clip_spec import ClipSpec
from vpkit.components import Metric
from vpkit.config.schema import RESAMPLES
from vpkit.devices import pick_device
from vpkit.engine.evaluate.evaluator import compute_with_interval
from vpkit.engine.evaluate.intervals import with_sensible_n
from vpkit.errors import ConfigError, VpkitError
from vpkit.video.files import READABLE_SUFFIXES, clips_to_tensor, read_video


def video_files(path: Path) -> dict[str, Path]:
    """Videos by file name: the file itself, or the videos directly inside a folder."""
    if path.is_file():
        return {path.name: path}
    if not path.is_dir():
        raise ConfigError(f"{path}: no such file or folder")
    found = {p.name: p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES}
    if not found:
        raise ConfigError(f"{path}: no videos ({', '.join(READABLE_SUFFIXES)}) in this folder")
    return found


def pairs(real: dict[str, Path], fake: dict[str, Path]) -> list[tuple[Path, Path]]:
    if len(real) == 1 and len(fake) == 1:
        return [(next(iter(real.values())), next(iter(fake.values())))]
    unmatched = sorted(real.keys() ^ fake.keys())
    if unmatched:
        shown = ", ".join(unmatched[:5]) + (" ..." if len(unmatched) > 5 else "")
        raise VpkitError(f"paired metrics pair files by name; {len(unmatched)} have no counterpart: {shown}")
    return [(real[name], fake[name]) for name in sorted(real)]


def load(path: Path) -> torch.Tensor:
    return clips_to_tensor(read_video(path)[None])


def score(real_path: Path, fake_path: Path, names: list[str], device: str = "auto") -> dict[str, dict[str, Any]]:
    real, fake = video_files(Path(real_path)), video_files(Path(fake_path))
    registry = plugins.registry("metric")
    target = pick_device(device)
    first = read_video(next(iter(real.values())))
    clip = ClipSpec(first.shape[0], min(first.shape[1:3]))  # what the metrics are told to expect
    metrics: list[Metric] = []
    for name in names:
        cls = registry.get(name)
        metrics.append(plugins.implementation("metric", cls)(cls.Config(), clip).to(target))
    for metric in metrics:  # networks and weights of every metric first: a failed download costs no finished score
        metric.prepare()
    results = {}
    for metric in metrics:
        name = metric.name
        metric.reset()
        try:
            if metric.paired:
                for real_file, fake_file in tqdm(
                    pairs(real, fake), desc=name, unit="pair", file=sys.stderr, disable=None
                ):
                    a, b = load(real_file), load(fake_file)
                    frames = min(a.shape[2], b.shape[2])
                    if a.shape[3:] != b.shape[3:]:
                        raise VpkitError(
                            f"{real_file.name}: {a.shape[4]}x{a.shape[3]} here, {b.shape[4]}x{b.shape[3]} "
                            f"in {fake_file}; paired metrics compare videos of the same size"
                        )
                    metric.update(a[:, :, :frames], b[:, :, :frames])
            else:
                for side, files in (("real", real), ("generated", fake)):
                    for file in tqdm(
                        list(files.values()), desc=f"{name} {side}", unit="video", file=sys.stderr, disable=None
                    ):
                        video = load(file)
                        metric.update(video if side == "real" else None, video if side == "generated" else None)
        except ValueError as exc:
            raise VpkitError(f"metric {name}: {exc}") from None
        results[name] = with_sensible_n(compute_with_interval(metric, RESAMPLES), name, metric.paired)
    return results


def parse_metrics(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ConfigError("--metrics: name at least one metric, e.g. --metrics fvd,lpips")
    return names
