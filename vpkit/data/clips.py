"""The clip store: uint8 clips on disk in .npy shards, plus a JSON manifest.

Layout of a store directory::

    manifest.json        clip spec, source fingerprint, shards, skipped inputs, complete flag
    shards/<key>.npy     uint8 array (N, T, H, W, 3): the clips of one input (a video, a seed)

Each shard belongs to one split, so a video never contributes to both train and val. Shards
and the manifest are written atomically and the manifest is rewritten after every shard, so
an interrupted preparation leaves a valid store that the next run continues.

A store is a cache, so damage is repaired, not reported as a crash: when a writer opens a
store it checks the manifest and every shard (present, a readable header of the right shape,
as long as that says); a damaged shard is dropped, so its input is extracted again, and a
damaged manifest starts the store afresh. Either way a warning names the file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vpkit.atomic import WriteError, atomic_path, write_json
from vpkit.clip_spec import ClipSpec
from vpkit.data.splits import closest_split, describe_split
from vpkit.errors import VpkitError, reason_of
from vpkit.progress import note

MANIFEST = "manifest.json"
SPLITS = ("train", "val")
#: What a failed write of the store leaves (said after its reason).
STORE_KEPT = "what is stored so far is kept, and the next run continues from it"
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
        self.manifest = {
            "version": 1,
            "frames": clip.frames,
            "size": clip.size,
            "fingerprint": fingerprint,
            "complete": False,
            "shards": [],
            "skipped": [],
        }
        self._rank: dict[str, int] = {}  # each shard's place in a reopened store's manifest
        self._former_split: dict[str, str] = {}  # the split of each damaged shard, dropped to be extracted again
        if (self.root / MANIFEST).exists():
            self._reopen(fingerprint)
        (self.root / "shards").mkdir(parents=True, exist_ok=True)

    def _reopen(self, fingerprint: dict[str, Any]) -> None:
        """Continue the store on disk, after dropping whatever of it is damaged."""
        try:
            manifest = read_manifest(self.root)
        except DamagedStore as exc:
            note(f"warning: {self.root / MANIFEST}: {exc}; the clip store is built again")
            shutil.rmtree(self.root / "shards", ignore_errors=True)
            (self.root / MANIFEST).unlink()
            return
        made_for = (manifest["fingerprint"], manifest["frames"], manifest["size"])
        if made_for != (fingerprint, self.clip.frames, self.clip.size):
            raise VpkitError(f"{self.root}: clip store was made from other settings; delete it to rebuild")
        self.manifest = manifest
        self._rank = {shard["key"]: i for i, shard in enumerate(manifest["shards"])}
        damaged = []
        for shard in manifest["shards"]:
            try:
                data_offset(self.root / shard["file"], shard["clips"], self.clip)
            except DamagedStore as exc:
                note(f"warning: {self.root / shard['file']}: {exc}; its clips are extracted again")
                damaged.append(shard)
        if damaged:
            self._former_split = {shard["key"]: shard["split"] for shard in damaged}
            for shard in damaged:
                (self.root / shard["file"]).unlink(missing_ok=True)
            manifest["shards"] = [shard for shard in manifest["shards"] if shard not in damaged]
            manifest["complete"] = False
            self._save()

    @property
    def complete(self) -> bool:
        """True when the source finished filling the store (and nothing was added or dropped since)."""
        return self.manifest["complete"]

    @property
    def done_keys(self) -> set[str]:
        """Keys already stored or skipped: a resumed source does not redo them."""
        return {s["key"] for s in self.manifest["shards"]} | {s["key"] for s in self.manifest["skipped"]}

    def clip_counts(self) -> dict[str, int]:
        """The clips each split holds so far."""
        return by_split(self.manifest["shards"], lambda shard: shard["clips"])

    def choose_split(self, key: str, clips: int, val_fraction: float) -> str:
        """The split for input ``key`` of ``clips`` clips: the one that brings validation's share of
        the clips closest to ``val_fraction`` (:mod:`vpkit.data.splits`), or, for a shard extracted
        again after damage, the split it was in."""
        if key in self._former_split:
            return self._former_split[key]
        return closest_split(self.clip_counts(), clips, val_fraction)

    def describe_split(self) -> str:
        """What the splits hold so far, for a summary."""
        return describe_split(self.clip_counts(), by_split(self.manifest["shards"], lambda shard: 1))

    def add(self, key: str, clips: np.ndarray, split: str, provenance: Iterable[dict[str, Any]] = ()) -> None:
        """Store ``clips`` (uint8, (N, T, H, W, 3)) from one input under ``key`` in ``split``."""
        if not _KEY.match(key):
            raise ValueError(f"shard key {key!r} must match {_KEY.pattern}")
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        expected = (self.clip.frames, self.clip.size, self.clip.size, 3)
        if clips.dtype != np.uint8 or clips.ndim != 5 or clips.shape[1:] != expected:
            raise ValueError(
                f"clips must be uint8 (N, {', '.join(map(str, expected))}), got {clips.dtype} {clips.shape}"
            )
        if len(clips) == 0:
            raise ValueError(f"shard {key!r} has no clips; record the input with skip() instead")
        if key in self.done_keys:
            raise ValueError(f"shard {key!r} is already in the store")
        provenance = list(provenance)
        if provenance and len(provenance) != len(clips):
            raise ValueError("provenance needs one entry per clip")
        path = self.root / "shards" / f"{key}.npy"
        try:
            with atomic_path(path) as tmp:
                np.save(tmp, np.ascontiguousarray(clips))
        except OSError as exc:
            raise WriteError(path, exc, "the clip store", STORE_KEPT) from None
        self.manifest["complete"] = False
        entry = {"key": key, "file": f"shards/{key}.npy", "split": split, "clips": len(clips), "provenance": provenance}
        self.manifest["shards"].insert(self._place_of(key), entry)
        self._save()

    def _place_of(self, key: str) -> int:
        """Where a new shard goes in the manifest: at the end, or, for a shard extracted again
        after damage, back where it stood, so each split keeps its order (a resumed run draws
        the same batches, and cached statistics of a split's first clips stay true)."""
        shards = self.manifest["shards"]
        if key not in self._rank:
            return len(shards)
        return next(
            (i for i, s in enumerate(shards) if self._rank.get(s["key"], len(self._rank)) > self._rank[key]),
            len(shards),
        )

    def skip(self, key: str, reason: str, **details: Any) -> None:
        """Record an input that gave no clips, and why."""
        self.manifest["skipped"].append({"key": key, "reason": reason, **details})
        self._save()

    def finish(self) -> ClipStore:
        if not self.manifest["complete"]:  # a finished store is not rewritten (it may be read-only)
            self.manifest["complete"] = True
            self._save()
        return ClipStore(self.root)

    def _save(self) -> None:
        try:
            write_json(self.root / MANIFEST, self.manifest)
        except WriteError as exc:
            raise WriteError(exc.path, exc, "the clip store", STORE_KEPT) from None


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
            self.manifest = read_manifest(self.root)
        except DamagedStore as exc:
            raise VpkitError(f"{self.root / MANIFEST}: not a readable clip store ({exc})") from None
        self.clip = ClipSpec(self.manifest["frames"], self.manifest["size"])

    @property
    def fingerprint(self) -> dict[str, Any]:
        """What made these clips (the source, its options and the clip shape; see ``prepare.store_fingerprint``)."""
        return self.manifest["fingerprint"]

    @staticmethod
    def is_complete(root: Path, fingerprint: dict[str, Any]) -> bool:
        try:
            manifest = read_manifest(Path(root))
        except DamagedStore:
            return False
        return manifest["complete"] and manifest["fingerprint"] == fingerprint

    def split(self, name: str) -> ClipDataset:
        shards = [s for s in self.manifest["shards"] if s["split"] == name]
        return ClipDataset([self.root / s["file"] for s in shards], [s["clips"] for s in shards], self.clip)

    def summary(self) -> StoreSummary:
        shards = self.manifest["shards"]
        clips, inputs = by_split(shards, lambda shard: shard["clips"]), by_split(shards, lambda shard: 1)
        return StoreSummary(clips, inputs, list(self.manifest["skipped"]))


class ClipDataset:
    """Clips of one split as uint8 arrays (T, H, W, 3), read from their shard on each access.

    Reads are positioned file reads, not memory maps: a mapped store counts every page it has
    touched against the process, so a training process would appear to grow to the size of the
    store; read this way it holds only the clips it asked for (the OS still caches the file).
    """

    def __init__(self, files: list[Path], counts: list[int], clip: ClipSpec):
        self.files, self.counts = files, counts
        self.clip = clip
        self._starts = np.cumsum([0, *counts])
        self._offsets: dict[int, int] = {}
        self._clip_bytes = clip.frames * clip.size * clip.size * 3

    def __len__(self) -> int:
        return int(self._starts[-1])

    def _offset(self, shard: int) -> int:
        """Where the data of ``shard``'s .npy file begins, after its header (checked once)."""
        if shard not in self._offsets:
            try:
                self._offsets[shard] = data_offset(self.files[shard], self.counts[shard], self.clip)
            except DamagedStore as exc:  # damaged since the store was opened
                raise VpkitError(f"{self.files[shard]}: {exc}; the next run extracts its clips again") from None
        return self._offsets[shard]

    def __getitem__(self, i: int) -> np.ndarray:
        if not 0 <= i < len(self):
            raise IndexError(i)
        shard = int(np.searchsorted(self._starts, i, side="right") - 1)
        offset = self._offset(shard) + (i - int(self._starts[shard])) * self._clip_bytes
        with open(self.files[shard], "rb") as f:
            data = os.pread(f.fileno(), self._clip_bytes, offset)
        if len(data) != self._clip_bytes:
            raise VpkitError(
                f"{self.files[shard]}: shard is shorter than its manifest says; the next run extracts its clips again"
            )
        return np.frombuffer(data, np.uint8).reshape(self.clip.frames, self.clip.size, self.clip.size, 3)

    def gather(self, indices: Iterable[int]) -> np.ndarray:
        """Stack the clips at ``indices`` into one (N, T, H, W, 3) uint8 array."""
        return np.stack([self[int(i)] for i in indices])


def by_split(shards: Iterable[dict[str, Any]], count: Callable[[dict[str, Any]], int]) -> dict[str, int]:
    """``count`` of each shard, summed per split."""
    totals = dict.fromkeys(SPLITS, 0)
    for shard in shards:
        totals[shard["split"]] += count(shard)
    return totals


class DamagedStore(Exception):
    """A manifest or shard that does not hold what it should; ``str`` says what is wrong."""


def read_manifest(root: Path) -> dict[str, Any]:
    """The store's manifest, checked entry by entry (a hand edit or a torn copy is caught here)."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DamagedStore("missing") from None
    except (OSError, ValueError) as exc:  # ValueError: not JSON, or not UTF-8
        raise DamagedStore(f"not valid JSON ({reason_of(exc)})") from None
    try:
        _Manifest.model_validate(manifest)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(map(str, error["loc"]))
        raise DamagedStore(f"{where}: {error['msg'].lower()}" if where else error["msg"].lower()) from None
    for shard in manifest["shards"]:
        if shard["file"] != f"shards/{shard['key']}.npy":
            raise DamagedStore(f"shard {shard['key']!r} points at {shard['file']!r}")
    return manifest


def data_offset(path: Path, clips: int, clip: ClipSpec) -> int:
    """Where the clip data of the shard at ``path`` begins, once it is checked to hold ``clips`` clips."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size == 0:
                raise DamagedStore("empty shard")
            try:
                version = np.lib.format.read_magic(f)
                read_header = (
                    np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                )
                shape, fortran, dtype = read_header(f)
            except (ValueError, SyntaxError, TypeError):  # numpy's header parser raises all three
                raise DamagedStore("not a .npy file (its header is damaged)") from None
            offset = f.tell()
    except FileNotFoundError:
        raise DamagedStore("shard missing") from None
    except OSError as exc:
        raise DamagedStore(f"cannot read the shard ({exc.strerror})") from None
    expected = (clips, clip.frames, clip.size, clip.size, 3)
    if fortran or dtype != np.uint8 or tuple(shape) != expected:
        raise DamagedStore(f"holds {dtype} {tuple(shape)}, not uint8 clips {expected}")
    if size < offset + clips * clip.frames * clip.size * clip.size * 3:
        raise DamagedStore(f"shorter than its {clips} clips (truncated?)")
    return offset


class _Shard(BaseModel):
    model_config = ConfigDict(strict=True)
    key: str = Field(pattern=_KEY.pattern)
    file: str
    split: Literal["train", "val"]
    clips: int = Field(gt=0)
    provenance: list[dict[str, Any]]


class _Skipped(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    key: str
    reason: str


class _Manifest(BaseModel):
    """What a manifest holds; the store keeps the plain dictionary, this only checks it."""

    model_config = ConfigDict(strict=True)
    version: int
    frames: int = Field(gt=0)
    size: int = Field(gt=0)
    fingerprint: dict[str, Any]
    complete: bool
    shards: list[_Shard]
    skipped: list[_Skipped]
