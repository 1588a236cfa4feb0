"""A foreground that carries what moves forward: the last context frame's moving pixels, splatted.

A backward warp (``warp``) asks, for every pixel of every frame, where it came from: for a
runner, the field has to cover the whole ground the runner will sweep, and everywhere else it
must stay still; gradient descent on a pixel loss finds that field only partly, and the far
frames pull it towards erasing the runner. A forward warp asks, for every pixel of the context
frame, where it goes: a runner's pixels carry one velocity, the floor's none. ``SplatHead``
predicts, on the last context frame, a velocity field ``v`` and a mask of what moves; frame
``t`` is those pixels moved by ``(t - last) * v`` (bilinear splatting, summed and normalised, as
in Niklaus and Liu's softmax splatting without its weights), over the static background,
which has to fill in the ground they uncover. With the mask's bias negative the untrained
model is the background; with ``background: input_residual`` that is the context frame.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from vpkit_videogan.declarations import UpsampleMode
from vpkit_videogan.layers import double
from vpkit_videogan.warp import MAX_SPEED, constant_velocity_flow

#: The largest shift between the last two context frames that the matching costs look at, in pixels.
MATCH_RADIUS = 2
#: The shifts (dx, dy) that ``matching_costs`` scores, in the order of its channels.
MATCH_SHIFTS = [
    (dx, dy) for dy in range(-MATCH_RADIUS, MATCH_RADIUS + 1) for dx in range(-MATCH_RADIUS, MATCH_RADIUS + 1)
]
#: How :func:`matched_motion` reads the costs (mean absolute differences of colours in [-1, 1]): the
#: temperature of its soft-argmin, and how much lower than standing still a pixel's best match
#: must be for the pixel to count as moving.
MATCH_SHARPNESS = 0.02
MATCH_MARGIN = 0.1


class SplatHead(nn.Module):
    """From the foreground stream's last hidden volume and the context frames to the splatted foreground
    (B, 3, T, H, W), its coverage (B, 1, T, H, W, the two-stream mask) and the flow (B, 2, T, H, W).

    The stream's last hidden volume is at half the frame's resolution, coarser than a player is wide:
    the field is read at full resolution, from that volume (averaged over time and doubled) beside the
    ``context`` frames' own pixels, so that what moves and its speed can follow the players' edges.
    With two context frames or more it also reads how well each pixel of the last one matches the
    frame before at every shift of up to ``MATCH_RADIUS`` pixels (a cost volume, as optical-flow
    networks such as FlowNet and PWC-Net compute), so that a velocity is a local lookup rather
    than something the coarse code has to carry. With ``matched`` the velocity and the moving mask start
    from what the costs alone show (:func:`matched_motion`), and the field learns a correction to both.
    """

    def __init__(
        self,
        channels: int,
        mode: UpsampleMode,
        context: int,
        mask_bias: float,
        matched: bool = False,
        max_speed: float = MAX_SPEED,
        pooling: int = 0,
        noise: int = 0,
        noise_grid: int = 0,
        hard: bool = False,
    ):
        super().__init__()
        self.matched = matched
        self.hard = hard
        self.max_speed = max_speed
        self.pooling = pooling
        self.noise_grid = noise_grid
        if noise_grid:
            # A fixed (untrained) map from z to a velocity on a noise_grid x noise_grid grid: N(0, 1) entries
            # for z ~ N(0, I), so the samples' directions stay apart whatever the training does.
            draw = torch.randn(noise, 2 * noise_grid**2, generator=torch.Generator().manual_seed(0))
            self.register_buffer("velocity_draw", draw / noise**0.5)
        self.up = nn.Sequential(*double(2, channels, channels, mode), nn.ReLU(True))
        matches = (2 * MATCH_RADIUS + 1) ** 2 if context > 1 else 0
        self.field = nn.Sequential(
            nn.Conv2d(channels + 3 * context + matches, channels, 3, 1, 1),
            nn.ReLU(True),
            nn.Conv2d(channels, 3, 3, 1, 1),  # velocity x, y and the moving mask's logit
        )
        self.origin = context - 1
        self.mask_bias = mask_bias

    def start_still(self) -> None:
        """Zero the field's last convolution, then set the moving mask's bias to ``mask_bias``."""
        conv = self.field[-1]
        nn.init.zeros_(conv.weight)
        nn.init.zeros_(conv.bias)
        nn.init.constant_(conv.bias[2:], self.mask_bias)

    def forward(
        self, hidden: torch.Tensor, context: torch.Tensor, z: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """``context`` is (B, 3, k, H, W); its last frame is the one carried forward. Also returns the moving
        mask (B, 1, H, W): which of that frame's pixels move away. With ``noise_grid``, ``z`` (B, noise) adds
        its velocity (:meth:`drawn_velocity`) to the one the field predicts."""
        seen = [self.up(hidden.mean(dim=2)), context.flatten(1, 2)]
        if context.shape[2] > 1:
            costs = matching_costs(context[:, :, -1], context[:, :, -2])
            seen.append(costs)
        field = self.field(torch.cat(seen, dim=1))
        velocity, moving = self.max_speed * torch.tanh(field[:, :2]), field[:, 2:]
        if self.matched:  # the field corrects the motion the costs show, under the same bound
            matched_velocity, matched_moving = matched_motion(costs)
            velocity = velocity + matched_velocity / (context.shape[-1] / 2)  # in normalised units, as the flow
            velocity = velocity.clamp(-self.max_speed, self.max_speed)
            moving = moving + matched_moving
        if self.noise_grid:
            velocity = (velocity + self.drawn_velocity(z, context.shape[-1])).clamp(-self.max_speed, self.max_speed)
        moving = torch.sigmoid(moving)
        if self.hard:  # rounded forward, the sigmoid's gradient backward (straight-through)
            moving = moving + ((moving > 0.5).to(moving.dtype) - moving).detach()
        if self.pooling:
            velocity = local_mean(velocity, moving, self.pooling)
        flow = constant_velocity_flow(velocity, 2 * hidden.shape[2], self.origin)  # the stream has T/2 frames
        foreground, coverage = carry_forward(context[:, :, -1], moving, flow)
        return foreground, coverage, flow, moving

    def drawn_velocity(self, z: torch.Tensor, size: int) -> torch.Tensor:
        """The velocity (B, 2, size, size) that ``z`` draws: ``max_speed * tanh`` of its fixed map onto the grid,
        each cell's velocity held over its square of pixels."""
        grid = self.max_speed * torch.tanh(z @ self.velocity_draw).view(-1, 2, self.noise_grid, self.noise_grid)
        return F.interpolate(grid, size=(size, size), mode="nearest")


def speed_bound(max_speed: float | None, size: int) -> float:
    """The ``max_speed`` option (pixels per frame; None: the default) in the flow's normalised units."""
    return MAX_SPEED if max_speed is None else max_speed / (size / 2)


def carry_forward(frame: torch.Tensor, moving: torch.Tensor, flow: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The pixels of ``frame`` (B, 3, H, W), weighted by ``moving`` (B, 1, H, W), splatted along ``flow``
    -> their colours (B, 3, T, H, W, normalised by the weights that landed) and coverage (B, 1, T, H, W, at most 1)."""
    carried = splat(torch.cat([frame * moving, moving], dim=1), flow)
    coverage = carried[:, 3:]
    foreground = carried[:, :3] / coverage.clamp(min=1e-3)
    return foreground.clamp(-1, 1), coverage.clamp(max=1)


def inpaint_behind(
    frame: torch.Tensor, moving: torch.Tensor, residual: torch.Tensor, fill_radius: int = 0
) -> torch.Tensor:
    """``frame`` (B, 3, H, W) wherever ``moving`` (B, 1, H, W) keeps its pixels, plus ``residual`` (B, 3, H, W) only
    where the movers leave, so that what does not move stays and a mover cannot be erased where it stands. With
    ``fill_radius`` the ground they leave starts from the mean of the still pixels around it (:func:`local_mean`),
    not from the mover's own colours, and the residual corrects that."""
    if fill_radius:
        residual = residual + local_mean(frame, 1 - moving, fill_radius) - frame
    return (frame + moving * residual).clamp(-1, 1)


def local_mean(values: torch.Tensor, weights: torch.Tensor, radius: int) -> torch.Tensor:
    """Each pixel of ``values`` (B, C, H, W) replaced by the mean of those within ``radius`` pixels, weighted by
    ``weights`` (B, 1, H, W; a normalised convolution); where no weight is near, the pixel is kept. With the moving
    mask as the weights, the moving pixels of one player share one velocity instead of scattering; with what
    stays as the weights, a hole the movers leave is filled from the ground around it."""
    window = dict(kernel_size=2 * radius + 1, stride=1, padding=radius)
    weight = F.avg_pool2d(weights, **window)
    pooled = F.avg_pool2d(values * weights, **window) / weight.clamp(min=1e-6)
    return torch.where(weight > 1e-6, pooled, values)


def matching_costs(frame: torch.Tensor, before: torch.Tensor) -> torch.Tensor:
    """Mean absolute colour difference between each pixel of ``frame`` (B, 3, H, W) and the pixel of
    ``before`` that is ``(dx, dy)`` behind it, for every shift within ``MATCH_RADIUS``
    -> (B, (2r + 1)^2, H, W), one channel per shift of ``MATCH_SHIFTS``: low where a pixel moved by that shift."""
    r = MATCH_RADIUS
    h, w = frame.shape[-2:]
    padded = F.pad(before, (r, r, r, r), mode="replicate")
    shifted = [padded[..., r - dy : r - dy + h, r - dx : r - dx + w] for dx, dy in MATCH_SHIFTS]
    return torch.stack([(frame - earlier).abs().mean(dim=1) for earlier in shifted], dim=1)


def matched_motion(costs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A velocity and a moving mask read off ``matching_costs`` (B, (2r + 1)^2, H, W) alone, with no learning:
    the soft-argmin of the costs over ``MATCH_SHIFTS`` (the expected shift under softmax(-cost / sharpness),
    as stereo networks read a cost volume) in pixels per frame, (B, 2, H, W), and the logit of "moves",
    (B, 1, H, W): how far the best match beats standing still, less ``MATCH_MARGIN``, over the sharpness."""
    shifts = torch.tensor(MATCH_SHIFTS, dtype=costs.dtype, device=costs.device)
    velocity = torch.einsum("bnhw,nc->bchw", torch.softmax(-costs / MATCH_SHARPNESS, dim=1), shifts)
    unmoved = costs[:, MATCH_SHIFTS.index((0, 0))]
    moving = (unmoved - costs.min(dim=1).values - MATCH_MARGIN) / MATCH_SHARPNESS
    return velocity, moving.unsqueeze(1)


def splat(values: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Each pixel of ``values`` (B, C, H, W) added, bilinearly, at its position plus ``flow`` (B, 2, T, H, W;
    x then y, normalised coordinates as in ``warp``) -> (B, C, T, H, W); what lands outside the frame is lost."""
    b, c, h, w = values.shape
    t = flow.shape[2]
    ys, xs = torch.meshgrid(
        torch.arange(h, device=flow.device, dtype=flow.dtype),
        torch.arange(w, device=flow.device, dtype=flow.dtype),
        indexing="ij",
    )
    x = xs + flow[:, 0] * (w / 2)  # 'b t h w', in pixels
    y = ys + flow[:, 1] * (h / 2)
    left, top = x.floor(), y.floor()
    frame = torch.arange(b * t, device=flow.device).view(b, t, 1, 1) * (h * w)
    targets, weights = [], []
    for column in (left, left + 1):
        for row in (top, top + 1):
            inside = (column >= 0) & (column < w) & (row >= 0) & (row < h)
            weights.append((1 - (x - column).abs()) * (1 - (y - row).abs()) * inside)
            targets.append(frame + (row.clamp(0, h - 1) * w + column.clamp(0, w - 1)).long())
    sources = values.permute(0, 2, 3, 1).unsqueeze(1).expand(b, t, h, w, c)  # 'b t h w c'
    added = torch.cat([sources * weight.unsqueeze(-1) for weight in weights]).reshape(-1, c)
    order = torch.cat(targets).reshape(-1)
    out = values.new_zeros(b * t * h * w, c).index_add(0, order, added)
    return out.view(b, t, h, w, c).permute(0, 4, 1, 2, 3)
