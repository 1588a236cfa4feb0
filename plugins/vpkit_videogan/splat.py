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
from torch import nn

from vpkit_videogan.declarations import UpsampleMode
from vpkit_videogan.layers import head
from vpkit_videogan.warp import MAX_SPEED


class SplatHead(nn.Module):
    """From the foreground stream's last hidden volume to the splatted foreground (B, 3, T, H, W), its
    coverage (B, 1, T, H, W, the two-stream mask) and the flow (B, 2, T, H, W) of the context frame's pixels."""

    def __init__(self, channels: int, mode: UpsampleMode, origin: int, mask_bias: float):
        super().__init__()
        self.field = head(2, channels, 3, nn.Identity(), mode)  # velocity x, y and the moving mask's logit
        self.origin = origin
        self.mask_bias = mask_bias

    def start_still(self) -> None:
        """Zero the field's last convolution, then set the moving mask's bias to ``mask_bias``."""
        conv = self.field[-2]
        nn.init.zeros_(conv.weight)
        nn.init.zeros_(conv.bias)
        nn.init.constant_(conv.bias[2:], self.mask_bias)

    def forward(self, hidden: torch.Tensor, frame: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        field = self.field(hidden.mean(dim=2))
        velocity, moving = MAX_SPEED * torch.tanh(field[:, :2]), torch.sigmoid(field[:, 2:])
        frames = 2 * hidden.shape[2]  # the head doubles time as it doubles height and width
        since = torch.arange(frames, device=hidden.device, dtype=hidden.dtype) - self.origin
        flow = velocity.unsqueeze(2) * since.view(1, 1, -1, 1, 1)
        carried = splat(torch.cat([frame * moving, moving], dim=1), flow)
        coverage = carried[:, 3:]
        foreground = carried[:, :3] / coverage.clamp(min=1e-3)
        return foreground.clamp(-1, 1), coverage.clamp(max=1), flow


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
    spread = values.unsqueeze(2).expand(b, c, t, h, w).reshape(b, c, t, h * w)
    out = values.new_zeros(b, c, t, h * w)
    for column in (left, left + 1):
        for row in (top, top + 1):
            weight = (1 - (x - column).abs()) * (1 - (y - row).abs())
            inside = (column >= 0) & (column < w) & (row >= 0) & (row < h)
            target = (row.clamp(0, h - 1) * w + column.clamp(0, w - 1)).long().view(b, 1, t, h * w)
            out = out.scatter_add(3, target.expand(b, c, t, h * w), spread * (weight * inside).view(b, 1, t, h * w))
    return out.view(b, c, t, h, w)
