"""Does a pixel loss prefer players that move or players erased, on the synthetic court? No training.

    python benchmarks/erasure_or_motion.py [CLIPS]

On the first CLIPS (64) validation clips of ``examples/future_quickstart.yaml``'s source, with two
context frames, it compares the mean squared error over the predicted frames of:

- ``copy_last``: the last context frame held still;
- ``erased``: the empty court (each pixel's median over the real clip: the players gone, the
  best any in-painting background can do);
- ``moved``: the last context frame's moving pixels carried forward by a velocity read off the two
  context frames (the soft-argmin of the splatted foreground's matching costs) over that empty
  court, and the best of K such predictions with the velocity jittered per clip.

If ``erased`` is lower than even the best of K ``moved``, a pixel loss (L2, or best-of-many over K
samples) pays a model to erase the players rather than to move them, however good its velocities.
The last lines give the same errors on frames averaged over 2 x 2 to 8 x 8 pixel blocks: where
``moved`` is the lower, a loss at that block pays for moving.
The motion energy of ``moved`` against the real clips' shows that it does move.
"""

from __future__ import annotations

import sys

import numpy as np
import torch
from vpkit_metrics.declarations import MotionConfig
from vpkit_metrics.motion import transitions
from vpkit_synthetic.render import render_clip
from vpkit_videogan.splat import carry_forward, matched_motion, matching_costs
from vpkit_videogan.warp import constant_velocity_flow

from vpkit import clips_to_tensor
from vpkit.engine.train.objectives import block_average

FRAMES, SIZE, CONTEXT = 16, 32, 2


def clips(count: int) -> torch.Tensor:
    """The source's validation clips (seed 0, indices 0..count-1) in [-1, 1], (B, 3, T, H, W)."""
    return clips_to_tensor(np.stack([render_clip((0, index), FRAMES, SIZE) for index in range(count)]))


def read_velocity(real: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Velocity in pixels per frame (B, 2, H, W) and a moving mask (B, 1, H, W) from the two context frames."""
    velocity, moving = matched_motion(matching_costs(real[:, :, CONTEXT - 1], real[:, :, CONTEXT - 2]))
    return velocity, torch.sigmoid(moving)


def moved(real: torch.Tensor, velocity: torch.Tensor, moving: torch.Tensor, court: torch.Tensor) -> torch.Tensor:
    flow = constant_velocity_flow(velocity / (SIZE / 2), FRAMES, CONTEXT - 1)  # normalised, as splat reads it
    foreground, coverage = carry_forward(real[:, :, CONTEXT - 1], moving, flow)
    return coverage * foreground + (1 - coverage) * court


def errors(prediction: torch.Tensor, real: torch.Tensor, block: int = 1) -> torch.Tensor:
    """Per clip mean squared error over the predicted frames, averaged over ``block`` x ``block`` pixels
    first (as ``train.reconstruction.block`` does)."""
    return (block_average(prediction, block) - block_average(real, block))[:, :, CONTEXT:].pow(2).mean(dim=(1, 2, 3, 4))


def energy(video: torch.Tensor) -> float:
    """Mean motion energy over the predicted frames, as the ``motion`` metric measures it."""
    return float(transitions(video, CONTEXT, MotionConfig().moving_above)[0].mean())


def main(count: int = 64) -> None:
    torch.manual_seed(0)
    real = clips(count)
    court = real.median(dim=2, keepdim=True).values
    velocity, moving = read_velocity(real)
    copy_last = errors(real[:, :, CONTEXT - 1 : CONTEXT].expand_as(real), real)
    erased = errors(court.expand_as(real), real)
    print(f"{count} clips, {CONTEXT} context frames; mean squared error over the predicted frames, in [-1, 1] units")
    print(f"copy_last {copy_last.mean():.4f}   erased {erased.mean():.4f}")
    prediction = moved(real, velocity, moving, court)
    print(f"moved: motion energy {energy(prediction) / energy(real):.2f}x the real clips'")
    for jitter in (0.0, 0.2):
        for samples in (1, 4, 16):
            draws = [
                errors(moved(real, velocity + jitter * torch.randn(count, 2, 1, 1), moving, court), real)
                for _ in range(samples)
            ]
            best = torch.stack(draws).min(dim=0).values
            print(
                f"moved, jitter {jitter} px/frame, best of {samples:>2}: {best.mean():.4f}; "
                f"lower than erased on {(best < erased).float().mean():.0%} of clips"
            )
    print("the same errors on frames averaged over blocks (train.reconstruction.block):")
    for block in (1, 2, 4, 8):
        scores = {
            name: errors(video, real, block).mean().item()
            for name, video in (
                ("copy_last", real[:, :, CONTEXT - 1 : CONTEXT].expand_as(real)),
                ("erased", court.expand_as(real)),
                ("moved", prediction),
            )
        }
        print(f"  {block} x {block}: " + "   ".join(f"{name} {value:.5f}" for name, value in scores.items()))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
