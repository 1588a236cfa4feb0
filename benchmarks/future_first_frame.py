"""How close a conditional run's first predicted frame gets to its input frame as training goes on.

    python benchmarks/future_first_frame.py RUN_FILE RUN_DIR STEP [STEP ...]

Trains RUN_FILE into RUN_DIR up to each STEP in turn (each stage resumes the last), and after
each prints mean |first predicted frame - input frame| over all validation clips, in [-1, 1]
units, with the generator in eval mode as ``vpkit predict`` runs it. Step 0 is the untrained model.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from vpkit import clips_to_tensor, load_generator
from vpkit.config.runfile import load_run
from vpkit.data.prepare import prepare_store
from vpkit.engine.train.trainer import train_run


@torch.no_grad()
def first_frame_error(generator, clips: torch.Tensor, batch: int = 64) -> float:
    total = 0.0
    for start in range(0, len(clips), batch):
        real = clips_to_tensor(clips[start : start + batch], next(generator.parameters()).device)
        video = generator(generator.sample_latent(len(real)), real[:, :, :1]).video
        total += (video[:, :, 0] - real[:, :, 0]).abs().mean().item() * len(real)
    return total / len(clips)


def main(run_file: str, run_dir: str, *steps: str) -> None:
    run = load_run(run_file)
    clips = torch.as_tensor(prepare_store(run).split("val").gather(range(run.config.source.options["val_clips"])))
    print("step  mean|first frame - input|")
    for step in map(int, steps):
        if step == 0:
            torch.manual_seed(run.config.seed)
            generator = run.generator.build(run.clip).eval()
        else:
            resume = (Path(run_dir) / "checkpoints" / "last.pt").exists()
            train_run(load_run(run_file, [f"train.steps={step}"]), Path(run_dir), resume=resume)
            generator = load_generator(run_dir, device="cpu").generator
        print(f"{step:5d} {first_frame_error(generator, clips):.4f}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
