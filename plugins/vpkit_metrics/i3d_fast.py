"""I3D for inference only: the same function as :class:`InceptionI3d`, computed faster (benchmarks/bench_fvd.py).

Built from a loaded :class:`InceptionI3d` (which stays the readable reference and the layout
weights load into), it changes how the network is computed, not what:

- batch norm is folded into the convolution before it (inference uses fixed statistics, so
  ``bn(conv(x)) = conv'(x)`` with scaled weights and a bias): one pass over the data instead of two;
- activations are channels-last (``channels_last_3d``), the layout oneDNN's 3-D convolutions
  run fastest in on the CPU (cuDNN's too on recent GPUs);
- the three 1x1x1 convolutions an Inception block applies to its input are one convolution
  with their filters stacked, split afterwards;
- ``SAME`` padding is the convolution's own padding wherever it is symmetric, instead of a
  padded copy of the input; only the first convolution, with its odd kernel over an even input,
  still needs a padded copy of the (3-channel) video. The pools are the reference's own
  (:class:`MaxPoolSame`, which pads inside the pool where it can).

Logits agree with the reference to about 3e-5 (float32 round-off of the folded weights).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from vpkit_metrics.i3d import InceptionI3d, Unit3D, padded, same_padding

CHANNELS_LAST = torch.channels_last_3d


def folded(unit: Unit3D) -> tuple[torch.Tensor, torch.Tensor]:
    """The unit's convolution weight and bias with its batch norm folded in."""
    weight = unit.conv3d.weight.detach()
    if unit.logits:
        return weight.clone(), unit.conv3d.bias.detach().clone()
    bn = unit.bn
    scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    return weight * scale.view(-1, 1, 1, 1, 1), bn.bias.detach() - bn.running_mean * scale


class FoldedConv(nn.Module):
    """Convolution (batch norm folded in) with TF ``SAME`` padding, then ReLU."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, kernel, stride, relu: bool = True):
        super().__init__()
        self.register_buffer("weight", weight.contiguous(memory_format=CHANNELS_LAST))
        self.register_buffer("bias", bias.contiguous())
        self.kernel, self.stride, self.relu = tuple(kernel), tuple(stride), relu

    @classmethod
    def of(cls, unit: Unit3D) -> FoldedConv:
        return cls(*folded(unit), unit.kernel, unit.stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pads = same_padding(x.shape[2:], self.kernel, self.stride)
        if all(front == back for front, back in pads):
            x = F.conv3d(x, self.weight, self.bias, self.stride, [front for front, _ in pads])
        else:
            copy = padded(x, pads).contiguous(memory_format=CHANNELS_LAST)
            x = F.conv3d(copy, self.weight, self.bias, self.stride)
        return F.relu_(x) if self.relu else x


class FastInception(nn.Module):
    def __init__(self, block):
        super().__init__()
        parts = [folded(getattr(block, name)) for name in ("b0", "b1a", "b2a")]
        self.widths = [weight.shape[0] for weight, _ in parts]
        self.inputs = FoldedConv(
            torch.cat([w for w, _ in parts]), torch.cat([b for _, b in parts]), (1, 1, 1), (1, 1, 1)
        )
        self.b1b, self.b2b, self.b3b = (FoldedConv.of(getattr(block, name)) for name in ("b1b", "b2b", "b3b"))
        self.b3a = block.b3a  # the same pool as the reference's

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b0, b1, b2 = self.inputs(x).split(self.widths, dim=1)
        b1 = self.b1b(b1.contiguous(memory_format=CHANNELS_LAST))
        b2 = self.b2b(b2.contiguous(memory_format=CHANNELS_LAST))
        b3 = self.b3b(self.b3a(x))
        return torch.cat([b0, b1, b2, b3], dim=1)


class FastI3D(nn.Module):
    """(B, 3, T, 224, 224) in [-1, 1] -> (B, 400) Kinetics logits averaged over time, like the reference."""

    def __init__(self, reference: InceptionI3d):
        super().__init__()
        layers = []
        for name, layer in reference.named_children():
            if name == "logits":
                break
            if name.startswith("MaxPool"):
                layers.append(layer)  # the reference's own pool (no weights)
            elif name.startswith("Mixed"):
                layers.append(FastInception(layer))
            else:
                layers.append(FoldedConv.of(layer))
        self.features = nn.Sequential(*layers)
        weight, bias = folded(reference.logits)
        self.logits = nn.Linear(weight.shape[1], weight.shape[0])
        self.logits.weight.data.copy_(weight.flatten(1))
        self.logits.bias.data.copy_(bias)
        self.eval().requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        InceptionI3d.check_input(x)
        x = self.features(x.contiguous(memory_format=CHANNELS_LAST))
        x = F.avg_pool3d(x, (2, 7, 7), stride=1)  # (B, 1024, T', 1, 1)
        return self.logits(x.flatten(2).transpose(1, 2)).mean(dim=1)
