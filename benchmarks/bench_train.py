"""Training throughput: vpkit's trainer against a naive port of the paper's training loop.

    python benchmarks/bench_train.py [--frames 32 --size 64 --batch 8 --steps 3 --rounds 2 --device cpu]
                                     [--vpkit fp32,fp32+channels_last,bf16]

Side by side in one process, on the same footage (video files this script renders with ffmpeg),
the same model (the paper's two-stream VideoGAN generator and 3-D discriminator at width 1) and
the same batch, one D and one G update per step:

- **naive port**: the loop a user would write from the paper: a ``DataLoader`` with 2 workers whose
  dataset decodes a random 32-frame window of a random file with decord on every access,
  resized to 64 x 64 at decode time, and a plain Adam/BCE loop over the same networks in float32.
- **vpkit**, once per ``--vpkit`` setting: the run's clips are cut once into the clip store (the
  ``folder`` source; not timed, as a second run reuses it), then ``Trainer.train_step`` (the
  trainer's own step, batches from the store) is timed. A setting is a precision (``fp32``,
  ``bf16``, ``fp16``), optionally followed by ``+channels_last`` and ``+compile``.

Each loop runs in phases of one warm-up step and ``--steps`` timed ones, all loops in turn for
``--rounds`` rounds; the numbers are medians over the timed steps. Every round also measures
the machine's GEMM peak (a square ``torch.mm``) in float32 and in bfloat16, so that a loop is
compared with the peak of its own precision measured beside it (a shared machine's speed drifts).

The work of a step is the FLOPs of vpkit's step, counted by ``torch.utils.flop_counter``
(forward and backward of both networks): what the paper's update needs. The naive port does
more (it also computes the gradients of D's weights in the generator's update, which nobody
uses); its count is printed too, but both are rated on the same work, so that their
utilisations compare like their clips/s. Needs decord (``pip install 'vpkit[bench]'``). Not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torch.utils.flop_counter import FlopCounterMode

from vpkit.config.runfile import load_run
from vpkit.engine.train.trainer import Trainer

FOOTAGE = [
    "testsrc2",
    "mandelbrot",
    "life=s=128x128:mold=10:r=25:ratio=0.1",
    "cellauto=s=128x128:rule=110",
    "rgbtestsrc",
    "smptebars",
]


def render_footage(folder: Path, seconds: float) -> list[Path]:
    """Six real H.264 files, 128 x 128 at 25 fps, each a different ffmpeg test source."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, source in enumerate(FOOTAGE):
        path = folder / f"footage_{index}.mp4"
        spec = source if "=" in source else f"{source}=s=128x128:r=25"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                spec,
                "-t",
                str(seconds),
                "-pix_fmt",
                "yuv420p",
                "-c:v",
                "libx264",
                str(path),
            ],
            check=True,
        )
        files.append(path)
    return files


def synchronize(device: torch.device) -> None:
    """Wait for the work queued on ``device`` (CUDA runs it asynchronously)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def peak_gemm_flops(dtype: torch.dtype, device: torch.device, seconds: float = 2.0) -> float:
    """The best FLOP/s of a square matrix product in ``dtype`` on ``device``, over a few seconds."""
    n = 8192 if device.type == "cuda" else 2048
    a, b = torch.randn(n, n, dtype=dtype, device=device), torch.randn(n, n, dtype=dtype, device=device)
    torch.mm(a, b)
    synchronize(device)
    best, until = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        torch.mm(a, b)
        synchronize(device)
        best = max(best, 2 * n**3 / (time.perf_counter() - started))
    return best


PEAK_DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


# --- vpkit

RUN = """\
seed: 0
clip: {{frames: {frames}, size: {size}}}
source: {{name: folder, path: {footage}, fps: [25], drop_scene_cuts: false, val_fraction: 0}}
model:
  generator: {{name: videogan, width: 1.0}}
  discriminator: {{name: videogan, width: 1.0}}
train:
  batch_size: {batch}
  steps: 1000
  device: {device}
  precision: {precision}
  channels_last: {channels_last}
  compile: {compile}
  schedule: {{d_steps: 1, g_steps: 1, g_extra_every: 0}}
logging: []
output: {{cache_dir: {cache}}}
"""


class Setting:
    """A ``--vpkit`` setting: ``fp32``, ``bf16+channels_last``, ``bf16+channels_last+compile``..."""

    def __init__(self, text: str):
        self.name, (self.precision, *flags) = text, text.split("+")
        unknown = set(flags) - {"channels_last", "compile"}
        if self.precision not in PEAK_DTYPES or unknown:
            raise SystemExit(
                f"--vpkit {text}: a precision ({', '.join(PEAK_DTYPES)}) and optionally +channels_last, +compile"
            )
        self.channels_last, self.compile = "channels_last" in flags, "compile" in flags


def vpkit_trainer(work: Path, args, footage: Path, setting: Setting) -> Trainer:
    path = work / f"{setting.name}.yaml"
    path.write_text(
        RUN.format(
            frames=args.frames,
            size=args.size,
            footage=footage,
            batch=args.batch,
            device=args.device,
            precision=setting.precision,
            channels_last=str(setting.channels_last).lower(),
            compile=str(setting.compile).lower(),
            cache=work / "cache",
        )
    )
    trainer = Trainer(load_run(path), work / setting.name)
    trainer.setup()  # fills the clip store: once per footage, reused by every later run
    return trainer


@contextlib.contextmanager
def kineto_silenced() -> Iterator[None]:
    """torch.profiler's backend (Kineto) writes its start and stop lines straight to file descriptor 2."""
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def convolution_seconds(step) -> float:
    """Seconds of one step spent in convolutions, forward and backward (torch.profiler, CPU only)."""
    with kineto_silenced(), torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profile:
        step(1)
    totals = {event.key: event.cpu_time_total for event in profile.key_averages()}
    return (totals.get("aten::convolution", 0) + totals.get("aten::convolution_backward", 0)) / 1e6


def step_flops(step) -> int:
    with FlopCounterMode(display=False) as counter:
        step(1)
    return counter.get_total_flops()


Measured = dict[str, list[float]]


def time_phases(
    loops: dict, steps: int, rounds: int, precisions: set[str], device: torch.device
) -> tuple[Measured, Measured]:
    """Seconds of each timed step of every loop, and each round's GEMM peaks in ``precisions``. A round runs
    each loop in turn for one warm-up step and ``steps`` timed ones; the naive port's loader
    workers live only during its own phase (they would otherwise decode in the background of the
    other loops' steps), and rounds repeat the loops so that a change in the machine's other
    load touches all of them."""
    times: dict[str, list[float]] = {name: [] for name in loops}
    peaks: dict[str, list[float]] = {name: [] for name in precisions}
    for _ in range(rounds):
        for name, start in loops.items():
            step, stop = start()
            step(1)
            for i in range(steps):
                synchronize(device)
                started = time.perf_counter()
                step(i + 2)
                synchronize(device)
                times[name].append(time.perf_counter() - started)
            stop()
        for name in precisions:
            peaks[name].append(peak_gemm_flops(PEAK_DTYPES[name], device))
    return times, peaks


# --- the naive port


class DecodedClips(Dataset):
    """A random window of ``frames`` frames of a random file, decoded and resized on every access."""

    def __init__(self, files: list[Path], frames: int, size: int, length: int):
        self.files, self.frames, self.size, self.length = files, frames, size, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> torch.Tensor:
        import decord

        rng = np.random.default_rng(index)
        reader = decord.VideoReader(str(self.files[rng.integers(len(self.files))]), width=self.size, height=self.size)
        start = int(rng.integers(len(reader) - self.frames))
        frames = reader.get_batch(list(range(start, start + self.frames))).asnumpy()  # (T, H, W, 3) uint8
        return torch.from_numpy(frames).permute(3, 0, 1, 2).float().div(127.5).sub(1)


def naive_loop(trainer: Trainer, files: list[Path], args):
    """The paper's loop written plainly, on the same networks (copies, so vpkit's stay as they were).
    Returns ``start``, which starts the loader's workers and gives ``(step, stop)``."""
    import copy

    G, D = copy.deepcopy(trainer.G), copy.deepcopy(trainer.D)
    for parameter in [*G.parameters(), *D.parameters()]:  # the default layout, whatever vpkit's
        parameter.data = parameter.data.contiguous()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    loader = DataLoader(
        DecodedClips(files, args.frames, args.size, 10_000),
        batch_size=args.batch,
        shuffle=True,
        num_workers=2,
        drop_last=True,
    )
    batches = None
    device = trainer.device

    def step(_: int) -> None:
        real = next(batches).to(device)
        output = G(torch.randn(len(real), G.config.latent_dim, device=device))
        d_real, d_fake = D(real), D(output.video.detach())
        loss_d = F.binary_cross_entropy_with_logits(
            d_real, torch.ones_like(d_real)
        ) + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        d_fake = D(output.video)
        loss_g = F.binary_cross_entropy_with_logits(d_fake, torch.ones_like(d_fake)) + sum(output.losses.values())
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    def start():
        nonlocal batches
        batches = iter(loader)  # starts the 2 workers
        return step, stop

    def stop() -> None:
        nonlocal batches
        batches = None  # the workers end with their iterator

    return start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument(
        "--steps", type=int, default=3, help="Timed steps of each loop per round, after one warm-up step."
    )
    parser.add_argument("--rounds", type=int, default=2, help="Rounds, each running every loop in turn.")
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--vpkit",
        default="fp32,fp32+channels_last,bf16",
        help="Comma-separated vpkit settings: a precision, optionally +channels_last, +compile.",
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="Length of each rendered footage file.")
    args = parser.parse_args()
    settings = [Setting(text) for text in args.vpkit.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench_train_"))
    files = render_footage(work / "footage", args.seconds)
    trainers = {f"vpkit {s.name}": vpkit_trainer(work, args, work / "footage", s) for s in settings}
    precision = {"naive port": "fp32", **{f"vpkit {s.name}": s.precision for s in settings}}  # by loop
    first = next(iter(trainers.values()))
    print(
        f"device {first.device}, {torch.get_num_threads()} threads; clips {args.frames}x{args.size}x{args.size}, "
        f"batch {args.batch}; generator {sum(p.numel() for p in first.G.parameters()) / 1e6:.1f}M, "
        f"discriminator {sum(p.numel() for p in first.D.parameters()) / 1e6:.1f}M parameters"
    )

    naive = naive_loop(first, files, args)
    flops = step_flops(first.train_step)
    step, stop = naive()
    naive_flops = step_flops(step)
    stop()
    print(
        f"one training step: {flops / 1e9:.1f} GFLOP (vpkit; forward and backward, both networks), "
        f"{naive_flops / 1e9:.1f} GFLOP executed by the naive port"
    )

    loops = {"naive port": naive, **{name: (lambda t=t: (t.train_step, lambda: None)) for name, t in trainers.items()}}
    times, peaks = time_phases(loops, args.steps, args.rounds, set(precision.values()), first.device)
    peak = {name: statistics.median(values) for name, values in peaks.items()}
    print(
        "GEMM peak of this machine (median of the rounds): "
        + ", ".join(f"{name} {value / 1e9:.0f} GFLOP/s" for name, value in peak.items())
    )
    naive_seconds = statistics.median(times["naive port"])
    for name, measured in times.items():
        seconds = statistics.median(measured)
        print(
            f"{name:>28}: {args.batch / seconds:5.2f} clips/s ({seconds:.2f} s/step, median of {len(measured)}), "
            f"{naive_seconds / seconds:.2f}x the naive port; {flops / seconds / 1e9:5.1f} GFLOP/s = "
            f"{flops / seconds / peak[precision[name]]:.0%} of the {precision[name]} GEMM peak"
        )
    if first.device.type == "cpu":
        print("where a vpkit step's time goes (one profiled step each; the convolutions do all the counted FLOPs):")
        for name, trainer in trainers.items():
            started = time.perf_counter()
            convolutions = convolution_seconds(trainer.train_step)
            total = time.perf_counter() - started
            print(
                f"{name:>28}: convolutions {convolutions:.2f} s of {total:.2f} s ({convolutions / total:.0%}), "
                f"running at {flops / convolutions / peak[precision[name]]:.0%} of the GEMM peak"
            )


if __name__ == "__main__":
    main()
