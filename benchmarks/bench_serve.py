"""The overhead of serving: ``vpkit serve`` under concurrent clients, beside the same generator
called in-process, in one run (a benchmark, not a test).

    python benchmarks/bench_serve.py RUN_DIR [--clients 32] [--seconds 20] [--format gif] [--device cpu]

RUN_DIR is a trained run. A request is what the page sends: for a conditional model a photo
(the first frame of a validation clip of the run's store, as a PNG) to predict from, for an
unconditional one a grid of one sample with a fresh seed.

  (a) in-process baseline: the work of one request (read the photo, generate under
      torch.inference_mode, write the video) called in a loop on one worker thread, one call
      at a time, through the same functions the server uses, for --seconds;
  (b) the server: ``vpkit serve RUN_DIR`` in its own process on 127.0.0.1, and clients
      (httpx, asyncio) sending requests for --seconds: first one client, whose latency beside
      (a) is the cost of HTTP and the server per request; then --clients concurrent ones,
      whose predictions the server batches.

It prints calls or requests per second and latency percentiles (p50, p95, p99) of each, the
ratio of throughput to (a), and the errors, which must be zero. The clients share the
machine with the server: on a small one they take part of its CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image


def percentiles(latencies: list[float]) -> str:
    p50, p95, p99 = np.percentile(np.array(latencies) * 1000, [50, 95, 99])
    return f"p50 {p50:7.1f} ms, p95 {p95:7.1f} ms, p99 {p99:7.1f} ms"


def photo_of(run_dir: Path) -> bytes:
    """The first frame of the run's first validation clip (training clip without a val split), as PNG bytes."""
    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import prepare_store

    store = prepare_store(load_run(run_dir / "config.yaml"))
    clips = store.split("val") if len(store.split("val")) else store.split("train")
    buffer = io.BytesIO()
    Image.fromarray(clips.gather([0])[0, 0]).save(buffer, format="PNG")
    return buffer.getvalue()


def in_process(run_dir: Path, photo: bytes, fmt: str, seconds: float, device: str) -> list[float]:
    """Latencies of back-to-back calls doing one request's work, without HTTP."""
    from vpkit.commands.serve.media import encode_video
    from vpkit.engine.generate import generate, load_generator
    from vpkit.engine.train.grids import make_grid, sample_columns
    from vpkit.video.files import clips_to_tensor, tensor_to_clips
    from vpkit.video.images import load_frame

    trained = load_generator(run_dir, device=device)
    size, fps = trained.run.clip.size, trained.run.config.train.fps

    def one(seed: int) -> bytes:
        with torch.inference_mode():
            if trained.generator.conditional:
                frame = load_frame(io.BytesIO(photo), size, name="photo.png")
                output = generate(trained.generator, 1, clips_to_tensor(frame[None, None]), seed)
                frames = tensor_to_clips(output.video)[0]
            else:
                frames = make_grid(sample_columns(generate(trained.generator, 1, seed=seed))[1])
        return encode_video(frames, fmt, fps)

    def loop() -> list[float]:
        one(0)  # warm-up
        latencies, seed, end = [], 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            started = time.perf_counter()
            one(seed)
            latencies.append(time.perf_counter() - started)
            seed += 1
        return latencies

    # On a worker thread, as the server generates: torch's intra-op threads behave differently
    # on the main thread (on a busy 2-core machine a tiny model ran 10 to 100 times slower there).
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(loop).result()


def start_server(run_dir: Path, device: str, log: Path) -> tuple[subprocess.Popen, str]:
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "vpkit", "serve", str(run_dir), "--port", "0", "--device", device],
            stdout=out,
            stderr=out,
        )
    while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)/", log.read_text())):
        if server.poll() is not None:
            raise SystemExit(f"vpkit serve did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return server, found.group(1)


async def load(
    url: str, model: dict, photo: bytes, fmt: str, clients: int, seconds: float
) -> tuple[list[float], list[str], float]:
    """``clients`` concurrent clients, each sending its next request when the last one is answered:
    the latencies, the errors and the seconds it took."""
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    name = model["name"]

    async def client(http: httpx.AsyncClient, index: int, end: float) -> None:
        seed = index * 1_000_000
        while time.perf_counter() < end:
            started = time.perf_counter()
            if model["kind"] == "conditional":
                response = await http.post(
                    f"/api/models/{name}/predict",
                    params={"format": fmt, "seed": seed},
                    files={"image": ("photo.png", photo, "image/png")},
                )
            else:
                response = await http.get(f"/api/models/{name}/sample", params={"format": fmt, "seed": seed, "n": 1})
            if response.status_code == 200 and response.content:
                latencies.append(time.perf_counter() - started)
            else:
                errors.append(f"{response.status_code} {response.text[:100]}")
            seed += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as http:
        await client(http, 0, time.perf_counter() + 2)  # warm-up, not counted
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(client(http, i + 1, started + seconds) for i in range(clients)))
    return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--format", choices=["gif", "mp4"], default="gif")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    import httpx

    photo = photo_of(args.run_dir)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cores; "
        f"{args.format}, {args.seconds:.0f} s each"
    )

    base = in_process(args.run_dir, photo, args.format, args.seconds, args.device)
    base_rate = len(base) / sum(base)
    print(f"(a) in-process, one call at a time: {base_rate:7.2f} calls/s     {percentiles(base)}")

    with tempfile.TemporaryDirectory() as scratch:
        server, url = start_server(args.run_dir, args.device, Path(scratch) / "server.log")
        try:
            model = httpx.get(f"{url}/api/models").json()[0]
            errors = []
            for clients in (1, args.clients):
                latencies, failed, elapsed = asyncio.run(load(url, model, photo, args.format, clients, args.seconds))
                rate = len(latencies) / elapsed
                print(
                    f"(b) vpkit serve, {clients:2d} client{'s' if clients > 1 else ' '}:      {rate:7.2f} requests/s  "
                    f"{percentiles(latencies)}"
                )
                print(f"    ratio to (a) = {rate / base_rate:.2f}; {len(latencies)} answered, {len(failed)} errors")
                errors += failed
        finally:
            server.terminate()
            server.wait()
    for error in sorted(set(errors))[:5]:
        print(f"    error: {error}")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
