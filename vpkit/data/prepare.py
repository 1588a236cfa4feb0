"""Fill (or reuse) the clip store a run's source describes, under the cache directory."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from vpkit.cache import default_cache_dir
from vpkit.config.runfile import Run
from vpkit.data.clips import MANIFEST, ClipStore, ClipWriter
from vpkit.data.splits import describe_split
from vpkit.data.videosource import tally
from vpkit.errors import ConfigError, VpkitError


def cache_dir(run: Run) -> Path:
    """The run file's ``output.cache_dir``, else ``$VPKIT_CACHE``, else ``~/.cache/vpkit``."""
    if run.config.output.cache_dir:
        return Path(run.config.output.cache_dir).expanduser()
    return default_cache_dir()


def store_fingerprint(run: Run) -> dict:
    """Everything that determines the clips: the source, its options and the clip shape.

    Options a source lists in ``fetch_options`` (rate limits, cookies) change how inputs are
    fetched, not which clips result, so changing them keeps the store.
    """
    source = {k: v for k, v in run.source.to_dict().items() if k not in run.source.cls.fetch_options}
    return {"source": source, "frames": run.clip.frames, "size": run.clip.size}


def store_dir(run: Run) -> Path:
    fingerprint = store_fingerprint(run)
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:12]
    return cache_dir(run) / "clips" / f"{run.source.cls.name}-{digest}"


def prepare_store(run: Run) -> ClipStore:
    """Return the run's clip store, building, repairing or finishing it first if needed (idempotent).

    A finished store is used as it is, unless its source ``rescans`` (a folder that may have
    gained files since): then the source adds what is new.
    """
    root = store_dir(run)
    try:
        writer = ClipWriter(root, run.clip, store_fingerprint(run), cache_dir(run))
    except OSError as exc:
        raise VpkitError(f"cannot write the clip store at {root}: {exc.strerror}") from None
    if writer.complete and not run.source.cls.rescan:
        return ClipStore(root)
    source = run.source.build(run.clip)
    source.prepare(writer)
    if not writer.clip_counts()["train"]:
        raise ConfigError(f"{run.source.cls.name}: {no_training_clips(writer)}")
    return writer.finish()


def no_training_clips(writer: ClipWriter) -> str:
    """Why a store ended with nothing to train on: every input skipped (and why), none found, or
    every clip held out. The store is left unfinished, so the next run looks again."""
    skipped, held_out = writer.manifest["skipped"], writer.clip_counts()["val"]
    if held_out:
        return f"no training clips: all {held_out} clips are held out for validation; lower val_fraction"
    if skipped:
        reasons = tally(Counter(item["reason"] for item in skipped))
        where = writer.root / MANIFEST
        inputs = "the one input was" if len(skipped) == 1 else f"all {len(skipped)} inputs were"
        return f"no training clips: {inputs} skipped ({reasons}); the list is in {where}"
    return "no training clips: the source found no inputs"


def describe_store(store: ClipStore) -> list[str]:
    """The summary ``vpkit data`` prints: inputs stored and skipped (with reasons), clips per split,
    and validation's share of them."""
    summary = store.summary()
    lines = [
        f"clip store: {store.root}",
        f"inputs: {sum(summary.shards.values())} ok ({summary.shards['train']} train, {summary.shards['val']} val), "
        f"{len(summary.skipped)} skipped",
    ]
    reasons = Counter(item["reason"] for item in summary.skipped)
    for reason, count in reasons.most_common():
        examples = [item.get("url") or item["key"] for item in summary.skipped if item["reason"] == reason][:3]
        lines.append(f"  {count} skipped: {reason} ({', '.join(examples)}{', ...' if count > 3 else ''})")
    shape = f"{store.clip.frames}x{store.clip.size}x{store.clip.size}"
    lines.append(f"clips: {summary.clips['train']} train, {summary.clips['val']} val ({shape})")
    lines.append(describe_split(summary.clips, summary.shards))
    return lines
