"""Data throughput beside training throughput, in one run (a benchmark, not a test).

Measures
  (a) extraction: clips/s per core that the ``folder`` source cuts from 360p MP4s (the size
      the ``youtube`` source downloads), CPU time of the process including decoder threads;
  (b) delivery: clips/s the clip store hands out as training batches (``BatchFeeder``);
  (c) consumption: clips/s one VideoGAN training step takes (default model, 32x64x64, CPU);
and prints (b)/(c), which must be at least 10. Then it reads a small and a large store, each
in a fresh process, and prints the memory of that process: private (anonymous) memory must
not grow with the store, which is read one batch at a time with positioned reads (no memory map).

    python benchmarks/bench_data.py [--videos 4] [--seconds 30] [--batch 16] [--large-clips 4096]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def make_videos(folder: Path, count: int, seconds: float) -> None:
    """360p 30 fps H.264 test footage with motion everywhere (ffmpeg's testsrc2)."""
    import imageio_ffmpeg

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=size=640x360:rate=30,hue=h={i * 40}",
                "-t",
                str(seconds),
                "-pix_fmt",
                "yuv420p",
                "-c:v",
                "libx264",
                str(folder / f"game{i}.mp4"),
            ],
            check=True,
        )


def write_run(root: Path, folder: Path, batch: int) -> Path:
    path = root / "bench.yaml"
    path.write_text(
        f"""\
clip: {{frames: 32, size: 64}}
source: {{name: folder, path: {folder}, fps: [8, 16], max_clips_per_video: 1000, val_fraction: 0}}
model: {{generator: videogan, discriminator: videogan}}
train: {{batch_size: {batch}, device: cpu, steps: 1000000}}
output: {{cache_dir: {root / "cache"}}}
"""
    )
    return path


def bench_extraction(run) -> tuple[object, dict]:
    from vpkit.data.prepare import prepare_store

    wall, cpu = time.perf_counter(), time.process_time()
    store = prepare_store(run)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    clips = sum(store.summary().clips.values())
    return store, {
        "clips": clips,
        "wall_s": wall,
        "cpu_s": cpu,
        "clips_per_s": clips / wall,
        "clips_per_cpu_s": clips / cpu,
    }


def bench_delivery(dataset, batch: int, batches: int = 200) -> tuple[float, float]:
    """Clips/s as uint8 read from the store in shuffled batches, and as the float batches
    ``BatchFeeder`` hands the trainer (on the CPU; on a GPU the conversion runs on the device)."""
    import torch

    from vpkit.data.batches import BatchFeeder

    feeder = BatchFeeder(dataset, batch, torch.device("cpu"), seed=0)
    feeder.next()
    started = time.perf_counter()
    for _ in range(batches):
        dataset.gather(feeder.next_indices())
    read = batches * batch / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(batches):
        feeder.next()
    return read, batches * batch / (time.perf_counter() - started)


def bench_training(run, root: Path, steps: int) -> float:
    """Clips/s a training step consumes: real clips drawn per second over ``steps`` steps (the
    VideoGAN schedule: one discriminator and one or two generator updates each)."""
    from vpkit.engine.train.trainer import Trainer

    trainer = Trainer(run, root / "run")
    trainer.setup()
    try:
        trainer.train_step(1)  # warm-up
        clips, started = 0, time.perf_counter()
        for step in range(2, steps + 2):
            clips += trainer.train_step(step)["clips"]
        return clips / (time.perf_counter() - started)
    finally:
        trainer.cleanup()


def fill_store(root: Path, clips: np.ndarray, total: int) -> Path:
    """A store of ``total`` clips, made by repeating real extracted ones (64 per shard)."""
    from vpkit import ClipSpec, ClipWriter

    writer = ClipWriter(root, ClipSpec(*clips.shape[1:3]), {"bench": total})
    for shard, start in enumerate(range(0, total, 64)):
        n = min(64, total - start)
        writer.add(f"shard-{shard:05d}", clips[np.arange(start, start + n) % len(clips)], "train")
    writer.finish()
    return root


def memory_child(store_root: str, batch: int) -> None:
    """Run in a fresh process: one pass over the store in batches; print peak memory as JSON."""
    import torch

    from vpkit import ClipStore
    from vpkit.data.batches import BatchFeeder

    dataset = ClipStore(Path(store_root)).split("train")
    feeder = BatchFeeder(dataset, batch, torch.device("cpu"), seed=0)
    peak = {"RssAnon": 0, "RssFile": 0, "VmRSS": 0}
    for _ in range(len(dataset) // batch):
        feeder.next()
        now = status_kib()
        peak = {k: max(peak[k], now[k]) for k in peak}
    print(
        json.dumps(
            {
                "clips": len(dataset),
                "store_mib": dataset_bytes(dataset) / 2**20,
                **{k: v / 1024 for k, v in peak.items()},
            }
        )
    )


def status_kib() -> dict[str, int]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("RssAnon", "RssFile", "VmRSS"):
            fields[key] = int(value.split()[0])
    return fields


def dataset_bytes(dataset) -> int:
    return sum(os.path.getsize(f) for f in dataset.files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--batch", type=int, default=16, help="training batch size")
    parser.add_argument("--steps", type=int, default=3, help="timed training steps")
    parser.add_argument("--small-clips", type=int, default=256)
    parser.add_argument("--large-clips", type=int, default=4096)
    parser.add_argument("--memory-child", nargs=2, metavar=("STORE", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(args.memory_child[0], int(args.memory_child[1]))

    import torch

    from vpkit.config.runfile import load_run

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="vpkit-bench-") as tmp:
        root = Path(tmp)
        make_videos(root / "footage", args.videos, args.seconds)
        run = load_run(write_run(root, root / "footage", args.batch))

        store, ext = bench_extraction(run)
        print(
            f"(a) extraction: {ext['clips']} clips (32x64x64) from {args.videos} x {args.seconds:.0f} s of 360p30 "
            f"in {ext['wall_s']:.1f} s wall, {ext['cpu_s']:.1f} s CPU: {ext['clips_per_s']:.1f} clips/s, "
            f"{ext['clips_per_cpu_s']:.1f} clips/s per core"
        )

        train = store.split("train")
        read, delivered = bench_delivery(train, args.batch)
        print(
            f"(b) store reads {read:.0f} clips/s (uint8, shuffled batches of {args.batch}) and delivers "
            f"{delivered:.0f} clips/s as float batches (B, 3, T, H, W) on the CPU"
        )
        consumed = bench_training(run, root, args.steps)
        print(
            f"(c) VideoGAN training step (width 1.0, 32x64x64, batch {args.batch}, CPU) consumes {consumed:.2f} clips/s"
        )
        print(
            f"    ratio delivered / consumed = {delivered / consumed:.0f}x (needs >= 10x): "
            f"{'ok' if delivered >= 10 * consumed else 'TOO SLOW'}"
        )

        clips = train.gather(range(len(train)))
        print("memory of a process reading a whole store once, in batches (MiB):")
        for total in (args.small_clips, args.large_clips):
            fill_store(root / f"store-{total}", clips, total)
            child = subprocess.run(
                [sys.executable, __file__, "--memory-child", str(root / f"store-{total}"), str(args.batch)],
                check=True,
                capture_output=True,
                text=True,
            )
            m = json.loads(child.stdout)
            print(
                f"    store {m['clips']:5d} clips ({m['store_mib']:6.0f} MiB on disk): "
                f"private (RssAnon) {m['RssAnon']:6.0f}, "
                f"file-backed (RssFile) {m['RssFile']:6.0f}, RSS {m['VmRSS']:6.0f}"
            )


if __name__ == "__main__":
    main()
