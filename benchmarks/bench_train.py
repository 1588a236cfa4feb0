"""Training throughput: vpkit's trainer against a naive port of the paper's training loop.

    python benchmarks/bench_train.py [--frames 32 --size 64 --batch 8 --steps 4 --device auto --precision fp32]

Side by side in one process, on the same footage (video files this script renders with ffmpeg),
the same model (the paper's two-stream VideoGAN generator and 3-D discriminator at width 1) and
the same batch, one D and one G update per step:

- **vpkit**: the run's clips are cut once into the clip store (the ``folder`` source; not timed,
  as a second run reuses it), then ``Trainer.train_step`` (the trainer's own step, batches from
  the store) is timed.
- **naive port**: the loop a user would write from the paper: a ``DataLoader`` with 2 workers whose
  dataset decodes a random 32-frame window of a random file with decord on every access,
  resized to 64 x 64 at decode time, and a plain Adam/BCE loop over the same networks.

Each loop runs in phases of one warm-up step and ``--steps`` timed ones, the two in turn for
``--rounds`` rounds; the numbers are medians over the timed steps. The script prints clips/s for
both and their ratio, and each as a fraction of the machine's float32 GEMM peak measured in the
same run (a square ``torch.mm``), with the FLOPs of one training step counted by
``torch.utils.flop_counter.FlopCounterMode`` (forward and backward of both networks).
Needs decord (``pip install 'vpkit[bench]'``). Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torch.utils.flop_counter import FlopCounterMode

from vpkit.config.runfile import load_run
from vpkit.engine.trainer import Trainer

FOOTAGE = ["testsrc2", "mandelbrot", "life=s=128x128:mold=10:r=25:ratio=0.1", "cellauto=s=128x128:rule=110", "rgbtestsrc",
           "smptebars"]


def render_footage(folder: Path, seconds: float) -> list[Path]:
    """Six real H.264 files, 128 x 128 at 25 fps, each a different ffmpeg test source."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, source in enumerate(FOOTAGE):
        path = folder / f"footage_{index}.mp4"
        spec = source if "=" in source else f"{source}=s=128x128:r=25"
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", spec, "-t", str(seconds),
                        "-pix_fmt", "yuv420p", "-c:v", "libx264", str(path)], check=True)
        files.append(path)
    return files


def peak_gemm_flops(seconds: float = 3.0, n: int = 1024) -> float:
    """The best float32 FLOP/s of an n x n matrix product on this machine, over a few seconds."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best, until = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        for _ in range(5):
            torch.mm(a, b)
        best = max(best, 5 * 2 * n**3 / (time.perf_counter() - started))
    return best


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
  schedule: {{d_steps: 1, g_steps: 1, g_extra_every: 0}}
logging: []
output: {{cache_dir: {cache}}}
"""


def vpkit_trainer(work: Path, args, footage: Path) -> Trainer:
    path = work / "bench.yaml"
    path.write_text(RUN.format(frames=args.frames, size=args.size, footage=footage, batch=args.batch, device=args.device,
                               precision=args.precision, channels_last=str(args.channels_last).lower(), cache=work / "cache"))
    trainer = Trainer(load_run(path), work / "run")
    trainer.setup()  # fills the clip store: once per footage, reused by every later run
    return trainer


def time_phases(loops: dict, steps: int, rounds: int) -> dict[str, list[float]]:
    """Seconds of each timed step of every loop. A round runs each loop in turn for one warm-up
    step and ``steps`` timed ones; the naive port's loader workers live only during its own phase
    (they would otherwise decode in the background of the other loop's steps), and rounds
    alternate the loops so that a change in the machine's other load touches both."""
    times: dict[str, list[float]] = {name: [] for name in loops}
    for _ in range(rounds):
        for name, start in loops.items():
            step, stop = start()
            step(1)
            for i in range(steps):
                started = time.perf_counter()
                step(i + 2)
                times[name].append(time.perf_counter() - started)
            stop()
    return times


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
    loader = DataLoader(DecodedClips(files, args.frames, args.size, 10_000), batch_size=args.batch, shuffle=True,
                        num_workers=2, drop_last=True)
    batches = None
    device = trainer.device

    def step(_: int) -> None:
        real = next(batches).to(device)
        output = G(torch.randn(len(real), G.config.latent_dim, device=device))
        d_real, d_fake = D(real), D(output.video.detach())
        loss_d = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
            F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
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
    parser.add_argument("--steps", type=int, default=3, help="Timed steps of each loop per round, after one warm-up step.")
    parser.add_argument("--rounds", type=int, default=2, help="Rounds, each running both loops in turn.")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    parser.add_argument("--channels-last", action="store_true", help="vpkit with train.channels_last (the naive port as it is).")
    parser.add_argument("--seconds", type=float, default=8.0, help="Length of each rendered footage file.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_train_"))
    files = render_footage(work / "footage", args.seconds)
    trainer = vpkit_trainer(work, args, work / "footage")
    print(f"device {trainer.device}, {torch.get_num_threads()} threads, precision {args.precision}"
          f"{', vpkit channels-last' if args.channels_last else ''}; clips "
          f"{args.frames}x{args.size}x{args.size}, batch {args.batch}; generator "
          f"{sum(p.numel() for p in trainer.G.parameters()) / 1e6:.1f}M, discriminator "
          f"{sum(p.numel() for p in trainer.D.parameters()) / 1e6:.1f}M parameters")

    with FlopCounterMode(display=False) as counter:
        trainer.train_step(1)
    flops = counter.get_total_flops()
    peak = peak_gemm_flops()
    print(f"one training step: {flops / 1e9:.1f} GFLOP (forward and backward, both networks); "
          f"float32 GEMM peak of this machine: {peak / 1e9:.1f} GFLOP/s")

    loops = {"vpkit": lambda: (trainer.train_step, lambda: None), "naive port": naive_loop(trainer, files, args)}
    times = time_phases(loops, args.steps, args.rounds)
    results = {}
    for name, measured in times.items():
        seconds = statistics.median(measured)
        results[name] = args.batch / seconds
        print(f"{name:>10}: {results[name]:7.2f} clips/s  ({seconds:.2f} s/step, median of {len(measured)}); "
              f"{flops / seconds / 1e9:.1f} GFLOP/s = {flops / seconds / peak:.0%} of the GEMM peak")
    ratio = results["vpkit"] / results["naive port"]
    print(f"vpkit / naive port: {ratio:.2f}x")


if __name__ == "__main__":
    main()
