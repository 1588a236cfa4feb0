"""A foreground that moves pixels: the context frame, warped by a predicted flow.

A generated foreground has to paint a player anew in every frame, and a pixel loss makes the
painting fade where the future is uncertain. A warp only decides where each pixel of the
output comes from in the context frame (a backward flow, as in SAVP's and Li et al.'s
flow-based predictors), so the player keeps its colours and edges wherever it goes. The
two-stream mask still decides where the warped frame replaces the static background.

``VelocityHead`` is the same warp with a constant-velocity prior: one 2-D field ``v`` per clip,
and the flow of frame ``t`` is ``(t - origin) * v``, where ``origin`` is the index of the frame
that is warped (the last context frame of a conditional model, the middle frame of an
unconditional one). A per-frame flow has to learn that a runner keeps running; here that is built
in, and the early frames, whose displacements are small enough for the warp's gradient to see,
teach the field that the late frames use. Behind a backward warp a mover's field has to cover
the ground it will sweep, so the floor it uncovers is sampled from behind it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from vpkit_videogan.declarations import UpsampleMode
from vpkit_videogan.layers import head

#: The largest displacement the flow head can predict, in grid_sample's normalised coordinates
#: (1 is half the frame's side): more than a synthetic player runs in a 16-frame clip.
MAX_SHIFT = 1.0
#: The largest speed the velocity head can predict, in normalised coordinates per frame (an
#: eighth of the frame's side: four pixels of 32, twice a synthetic player's top speed at stride 2).
MAX_SPEED = 0.25


class WarpHead(nn.Module):
    """From the foreground stream's last hidden volume to a flow (B, 2, T, H, W) and the warped frames."""

    def __init__(self, channels: int, mode: UpsampleMode):
        super().__init__()
        self.flow = head(3, channels, 2, nn.Tanh(), mode)

    def start_still(self) -> None:
        """Zero the flow head's last convolution: an untrained warp returns the frame unmoved."""
        nn.init.zeros_(self.flow[-2].weight)
        nn.init.zeros_(self.flow[-2].bias)

    def forward(self, hidden: torch.Tensor, frame: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        flow = MAX_SHIFT * self.flow(hidden)
        return warp(frame, flow), flow


class VelocityHead(nn.Module):
    """From the foreground stream's last hidden volume to a velocity field (B, 2, H, W), the flow
    ``(t - origin) * v`` (B, 2, T, H, W) and the warped frames; ``origin`` is the warped frame's index."""

    def __init__(self, channels: int, mode: UpsampleMode, origin: float):
        super().__init__()
        self.velocity = head(2, channels, 2, nn.Tanh(), mode)
        self.origin = origin

    def start_still(self) -> None:
        """Zero the velocity head's last convolution: an untrained warp returns the frame unmoved."""
        nn.init.zeros_(self.velocity[-2].weight)
        nn.init.zeros_(self.velocity[-2].bias)

    def forward(self, hidden: torch.Tensor, frame: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        velocity = MAX_SPEED * self.velocity(hidden.mean(dim=2))
        flow = constant_velocity_flow(velocity, 2 * hidden.shape[2], self.origin)  # the stream has T/2 frames
        return warp(frame, flow), flow


def constant_velocity_flow(velocity: torch.Tensor, frames: int, origin: float) -> torch.Tensor:
    """The flow (B, 2, frames, H, W) of a velocity field (B, 2, H, W) kept for ``frames`` frames:
    ``(t - origin) * velocity`` in frame ``t``."""
    since = torch.arange(frames, device=velocity.device, dtype=velocity.dtype) - origin
    return velocity.unsqueeze(2) * since.view(1, 1, -1, 1, 1)


def warp(frame: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Frame (B, 3, H, W) sampled at every pixel plus ``flow`` (B, 2, T, H, W; x then y, normalised
    coordinates) -> (B, 3, T, H, W); bilinear, with the border repeated outside the frame."""
    b, _, t, h, w = flow.shape
    ys, xs = torch.meshgrid(
        torch.linspace(-1 + 1 / h, 1 - 1 / h, h, device=flow.device, dtype=flow.dtype),
        torch.linspace(-1 + 1 / w, 1 - 1 / w, w, device=flow.device, dtype=flow.dtype),
        indexing="ij",
    )
    identity = torch.stack((xs, ys), dim=-1)  # 'h w 2', pixel centres as align_corners=False sees them
    grid = identity + flow.permute(0, 2, 3, 4, 1)  # 'b t h w 2'
    frames = frame.unsqueeze(1).expand(b, t, *frame.shape[1:]).reshape(b * t, *frame.shape[1:])
    warped = F.grid_sample(
        frames, grid.reshape(b * t, h, w, 2), mode="bilinear", padding_mode="border", align_corners=False
    )
    return warped.view(b, t, -1, h, w).transpose(1, 2)
