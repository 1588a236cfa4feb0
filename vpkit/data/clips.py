"""The clip store: uint8 clips on disk in .npy shards, plus a JSON manifest.

Layout of a store directory::

    manifest.json        clip spec, source fingerprint, shards, skipped inputs, complete flag
    shards/<key>.npy     uint8 array (N, T, H, W, 3): the clips of one input (a video, a seed)

Each shard belongs to one split, so a video never contributes to both train and val. Shards
and the manifest are written atomically and the manifest is rewritten after every shard, so
an interrupted preparation leaves a valid store that the next run continues.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vpkit.atomic import atomic_path, write_json
from vpkit.clip_spec import ClipSpec
from vpkit.errors import VpkitError

MANIFEST = "manifest.json"
SPLITS = ("train", "val")
_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")


class ClipWriter:
    """Adds shards to a store; created by the engine and handed to ``Source.prepare``.

    ``cache_dir`` is the run's cache directory: a source keeps there what outlives one store,
    such as raw downloads that a store built with other settings can reuse.
    """

    def __init__(self, root: Path, clip: ClipSpec, fingerprint: dict[str, Any], cache_dir: Path | None = None):
        self.root = Path(root)
        self.clip = clip
        self.cache_dir = Path(cache_dir) if cache_dir is not None else self.root
        manifest_path = self.root / MANIFEST
        if manifest_path.exists():
            self.manifest = json.loads(manifest_path.read_text())
            made_for = (self.manifest.get("fingerprint"), self.manifest.get("frames"), self.manifest.get("size"))
            if made_for != (fingerprint, clip.frames, clip.size):
                raise VpkitError(f"{self.root}: clip store was made from other settings; delete it to rebuild")
        else:
            self.manifest = {
                "version": 1,
                "frames": clip.frames,
                "size": clip.size,
                "fingerprint": fingerprint,
                "complete": False,
                "shards": [],
                "skipped": [],
            }
        (self.root / "shards").mkdir(parents=True, exist_ok=True)

    @property
    def done_keys(self) -> set[str]:
        """Keys already stored or skipped: a resumed source does not redo them."""
        return {s["key"] for s in self.manifest["shards"]} | {s["key"] for s in self.manifest["skipped"]}

    def add(self, key: str, clips: np.ndarray, split: str, provenance: Iterable[dict[str, Any]] = ()) -> None:
        """Store ``clips`` (uint8, (N, T, H, W, 3)) from one input under ``key`` in ``split``."""
        if not _KEY.match(key):
            raise ValueError(f"shard key {key!r} must match {_KEY.pattern}")
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        expected = (self.clip.frames, self.clip.size, self.clip.size, 3)
        if clips.dtype != np.uint8 or clips.ndim != 5 or clips.shape[1:] != expected:
            raise ValueError(f"clips must be uint8 (N, {', '.join(map(str, expected))}), got {clips.dtype} {clips.shape}")
        if len(clips) == 0:
            raise ValueError(f"shard {key!r} has no clips; record the input with skip() instead")
        if key in self.done_keys:
            raise ValueError(f"shard {key!r} is already in the store")
        provenance = list(provenance)
        if provenance and len(provenance) != len(clips):
            raise ValueError("provenance needs one entry per clip")
        with atomic_path(self.root / "shards" / f"{key}.npy") as tmp:
            np.save(tmp, np.ascontiguousarray(clips))
        self.manifest["complete"] = False
        self.manifest["shards"].append(
            {"key": key, "file": f"shards/{key}.npy", "split": split, "clips": len(clips), "provenance": provenance}
        )
        self._save()

    def skip(self, key: str, reason: str, **details: Any) -> None:
        """Record an input that gave no clips, and why."""
        self.manifest["skipped"].append({"key": key, "reason": reason, **details})
        self._save()

    def finish(self) -> ClipStore:
        self.manifest["complete"] = True
        self._save()
        return ClipStore(self.root)

    def _save(self) -> None:
        write_json(self.root / MANIFEST, self.manifest)


@dataclass(frozen=True)
class StoreSummary:
    clips: dict[str, int]
    shards: dict[str, int]
    skipped: list[dict[str, Any]]


class ClipStore:
    """A finished store, read clip by clip (its size does not load into memory)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        try:
            self.manifest = json.loads((self.root / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise VpkitError(f"{self.root}: not a readable clip store ({exc})") from None
        self.clip = ClipSpec(self.manifest["frames"], self.manifest["size"])

    @staticmethod
    def is_complete(root: Path, fingerprint: dict[str, Any]) -> bool:
        try:
            manifest = json.loads((Path(root) / MANIFEST).read_text())
        except (OSError, ValueError):
            return False
        return manifest.get("complete") is True and manifest.get("fingerprint") == fingerprint

    def split(self, name: str) -> ClipDataset:
        shards = [s for s in self.manifest["shards"] if s["split"] == name]
        return ClipDataset([self.root / s["file"] for s in shards], [s["clips"] for s in shards], self.clip)

    def summary(self) -> StoreSummary:
        clips = {s: 0 for s in SPLITS}
        shards = {s: 0 for s in SPLITS}
        for shard in self.manifest["shards"]:
            clips[shard["split"]] += shard["clips"]
            shards[shard["split"]] += 1
        return StoreSummary(clips, shards, list(self.manifest["skipped"]))


class ClipDataset:
    """Clips of one split as uint8 arrays (T, H, W, 3), read from their shard on each access.

    Reads are positioned file reads, not memory maps: a mapped store counts every page it has
    touched against the process, so a training process would appear to grow to the size of the
    store; read this way it holds only the clips it asked for (the OS still caches the file).
    """

    def __init__(self, files: list[Path], counts: list[int], clip: ClipSpec):
        self.files = files
        self.clip = clip
        self._starts = np.cumsum([0, *counts])
        self._offsets: dict[int, int] = {}
        self._clip_bytes = clip.frames * clip.size * clip.size * 3

    def __len__(self) -> int:
        return int(self._starts[-1])

    def _offset(self, shard: int) -> int:
        """Where the data of ``shard``'s .npy file begins, after its header (checked once)."""
        if shard not in self._offsets:
            with open(self.files[shard], "rb") as f:
                version = np.lib.format.read_magic(f)
                read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                shape, fortran, dtype = read_header(f)
                expected = (self.clip.frames, self.clip.size, self.clip.size, 3)
                if fortran or dtype != np.uint8 or shape[1:] != expected:
                    raise VpkitError(f"{self.files[shard]}: not a shard of uint8 clips {expected}; delete the store to rebuild")
                self._offsets[shard] = f.tell()
        return self._offsets[shard]

    def __getitem__(self, i: int) -> np.ndarray:
        if not 0 <= i < len(self):
            raise IndexError(i)
        shard = int(np.searchsorted(self._starts, i, side="right") - 1)
        offset = self._offset(shard) + (i - int(self._starts[shard])) * self._clip_bytes
        with open(self.files[shard], "rb") as f:
            data = os.pread(f.fileno(), self._clip_bytes, offset)
        if len(data) != self._clip_bytes:
            raise VpkitError(f"{self.files[shard]}: shard is shorter than its manifest says; delete the store to rebuild")
        return np.frombuffer(data, np.uint8).reshape(self.clip.frames, self.clip.size, self.clip.size, 3)

    def gather(self, indices: Iterable[int]) -> np.ndarray:
        """Stack the clips at ``indices`` into one (N, T, H, W, 3) uint8 array."""
        return np.stack([self[int(i)] for i in indices])
