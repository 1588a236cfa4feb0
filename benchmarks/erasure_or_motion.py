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
The motion energy of ``moved`` against the real clips' shows that it does move.
"""

from __future__ import annotations

import sys

import numpy as np
import torch
from vpkit_synthetic.render import render_clip
from vpkit_videogan.splat import MATCH_RADIUS, matching_costs, splat

FRAMES, SIZE, CONTEXT = 16, 32, 2


def clips(count: int) -> torch.Tensor:
    """The source's validation clips (seed 0, indices 0..count-1) in [-1, 1], (B, 3, T, H, W)."""
    videos = np.stack([render_clip((0, index), FRAMES, SIZE) for index in range(count)])
    return torch.tensor(videos).permute(0, 4, 1, 2, 3).float() / 127.5 - 1


def read_velocity(real: torch.Tensor, sharpness: float = 0.02) -> tuple[torch.Tensor, torch.Tensor]:
    """Velocity in pixels per frame (B, 2, H, W) and a moving mask (B, 1, H, W) from the two context frames."""
    costs = matching_costs(real[:, :, CONTEXT - 1], real[:, :, CONTEXT - 2])
    r = MATCH_RADIUS
    shifts = torch.tensor([(dx, dy) for dy in range(-r, r + 1) for dx in range(-r, r + 1)], dtype=costs.dtype)
    velocity = torch.einsum("bnhw,nc->bchw", torch.softmax(-costs / sharpness, dim=1), shifts)
    unmoved = costs[:, (2 * r + 1) * r + r]
    moving = torch.sigmoid((unmoved - costs.min(dim=1).values - 0.1) / sharpness)
    return velocity, moving.unsqueeze(1)


def moved(real: torch.Tensor, velocity: torch.Tensor, moving: torch.Tensor, court: torch.Tensor) -> torch.Tensor:
    since = torch.arange(FRAMES, dtype=velocity.dtype) - (CONTEXT - 1)
    flow = velocity.unsqueeze(2) * since.view(1, 1, -1, 1, 1) / (SIZE / 2)  # normalised, as splat reads it
    last = real[:, :, CONTEXT - 1]
    carried = splat(torch.cat([last * moving, moving], dim=1), flow)
    coverage = carried[:, 3:].clamp(max=1)
    return coverage * carried[:, :3] / carried[:, 3:].clamp(min=1e-3) + (1 - coverage) * court


def errors(prediction: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Per clip mean squared error over the predicted frames."""
    return (prediction - real)[:, :, CONTEXT:].pow(2).mean(dim=(1, 2, 3, 4))


def energy(video: torch.Tensor) -> float:
    levels = video.add(1).mul(127.5).round()
    return (levels[:, :, CONTEXT:] - levels[:, :, CONTEXT - 1 : -1]).abs().mean().item()


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


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
