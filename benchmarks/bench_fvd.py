"""FVD cost: I3D feature-extraction throughput, and the time cached real statistics save.

    python benchmarks/bench_fvd.py --videos 16 --frames 16 --size 64 [--weights i3d_pretrained_400.pt]

One run measures (1) extraction throughput in videos/s (after one warm-up batch), and (2) two
evaluations of an untrained VideoGAN against a clip store through the engine's Evaluator:
the first extracts real and generated features and writes the real statistics to disk, the
second reads them back and extracts only the generated videos. Without --weights it writes a
seeded, randomly initialised I3D in the reference layout: speed does not depend on the weight
values, but the FVD values it prints then mean nothing. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from vpkit_metrics.fvd import FVD
from vpkit_metrics.i3d import InceptionI3d
from vpkit_videogan.generator import VideoGANGenerator

from vpkit import ClipSpec, ClipWriter
from vpkit.data.batches import pick_device
from vpkit.engine.evaluation import Evaluator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--videos", type=int, default=16)
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--weights", type=Path)
    parser.add_argument("--repeats", type=int, default=3, help="Timings are medians over this many repeats.")
    args = parser.parse_args()
    device = pick_device(args.device)
    results: dict = {}
    clip = ClipSpec(args.frames, args.size)
    work = Path(tempfile.mkdtemp(prefix="bench_fvd_"))
    weights = args.weights or _random_weights(work / "i3d_random.pt")
    config = FVD.Config(weights=str(weights), batch_size=args.batch)
    print(f"device {device}, {args.videos} videos of {args.frames}x{args.size}x{args.size}, batch {args.batch}"
          f"{'' if args.weights else ', randomly initialised I3D (timing only)'}")

    # 1. extraction throughput
    fvd = FVD(config, clip).to(device)
    videos = torch.rand(args.videos, 3, args.frames, args.size, args.size) * 2 - 1
    fvd.features(videos[: args.batch])  # warm-up: weights load, kernels
    elapsed = statistics.median(_timed(device, lambda: fvd.features(videos)) for _ in range(args.repeats))
    print(f"I3D features: {args.videos / elapsed:.2f} videos/s ({elapsed:.2f} s for {args.videos}, median of {args.repeats})")

    # 2. a full evaluation, real statistics computed (cache emptied) and then read from the cache
    store = _store(work / "store", clip, args.videos)
    generator = VideoGANGenerator(VideoGANGenerator.Config(width=0.25), clip).to(device)
    timings: dict[str, list[float]] = {"computed": [], "cached": []}
    for _ in range(args.repeats):
        for stats in (work / "stats").glob("*.npz"):
            stats.unlink()
        for kind in ("computed", "cached"):
            evaluator = Evaluator([FVD(config, clip)], store, "val", args.videos, work / "stats", args.batch)
            timings[kind].append(_timed(device, lambda: results.update(evaluator(generator))))
    computed, cached = (statistics.median(timings[k]) for k in ("computed", "cached"))
    print(f"evaluation, real statistics computed: {computed:.2f} s")
    print(f"evaluation, real statistics cached:   {cached:.2f} s (saves {computed - cached:.2f} s, {100 * (1 - cached / computed):.0f}%)")
    fvd_result = results["fvd"]
    print(f"fvd {fvd_result['fvd']:.4g} from {fvd_result['real_videos']} real / {fvd_result['generated_videos']} generated")


def _timed(device: torch.device, work) -> float:
    _sync(device)
    started = time.perf_counter()
    work()
    _sync(device)
    return time.perf_counter() - started


def _random_weights(path: Path) -> Path:
    torch.manual_seed(0)
    torch.save({k: v for k, v in InceptionI3d().state_dict().items() if not k.endswith("num_batches_tracked")}, path)
    return path


def _store(root: Path, clip: ClipSpec, count: int):
    writer = ClipWriter(root, clip, {"benchmark": "random clips"})
    clips = np.random.default_rng(0).integers(0, 256, (count, clip.frames, clip.size, clip.size, 3), dtype=np.uint8)
    writer.add("val", clips, "val")
    return writer.finish()


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


if __name__ == "__main__":
    main()
