"""Numeric precision and memory format: ``train.precision``, ``train.channels_last``,
``train.tf32`` and ``train.compile``, in one place for training and for everything that generates.

- ``fp32``: plain float32. ``bf16`` and ``fp16``: the forward passes under ``torch.autocast``
  (weights and optimiser states stay float32). ``fp16`` has a narrow range, so each optimiser
  gets its own ``GradScaler``, whose state the checkpoint keeps for an exact resume.
- fp16 on the CPU is allowed: torch's CPU autocast and ``GradScaler("cpu")`` implement it. It
  is slower than fp32 there, and exists so that a GPU run file also runs on a laptop.
- ``channels_last``: the channels-last-3d memory format for the 3-D convolutions.
- ``tf32``: TensorFloat-32 matrix products for fp32 on CUDA (cuDNN already uses it for
  convolutions by default).
- ``compile``: G and D through ``torch.compile``.

None is a default: on the CPU none pays for every model, and none has been measured on a GPU
yet (docs/distributed.md, "Measured speed"; benchmarks/bench_train.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}
#: The channels-last memory format of a weight or batch, by its number of dimensions.
FORMATS = {4: torch.channels_last, 5: torch.channels_last_3d}


class Precision:
    """How the forward passes run on ``device``, and the gradient scalers of fp16 by optimiser name."""

    def __init__(
        self,
        name: str,
        device: torch.device,
        channels_last: bool = False,
        tf32: bool = False,
        scaled: tuple[str, ...] = (),
    ):
        self.name, self.device, self.channels_last = name, device, channels_last
        self.dtype = DTYPES.get(name)
        if device.type == "cuda" and name == "fp32" and tf32:
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
        self.scalers = {key: torch.amp.GradScaler(device.type, enabled=name == "fp16") for key in scaled}

    @contextlib.contextmanager
    def autocast(self) -> Iterator[None]:
        """The forward passes of training and generation go inside this."""
        if self.dtype is None:
            yield
            return
        with torch.autocast(self.device.type, dtype=self.dtype):
            yield

    def prepare(self, module: nn.Module) -> nn.Module:
        """``module`` on the device in the memory format asked for."""
        module = module.to(self.device)
        if self.channels_last:  # 3-D convolutions' weights channels-last-3d, 2-D ones' channels-last
            with torch.no_grad():
                for parameter in module.parameters():
                    if parameter.dim() in FORMATS:
                        parameter.data = parameter.data.contiguous(memory_format=FORMATS[parameter.dim()])
        return module

    def inputs(self, video: torch.Tensor) -> torch.Tensor:
        """A (B, C, T, H, W) batch in the memory format asked for."""
        return (
            video.contiguous(memory_format=torch.channels_last_3d) if self.channels_last and video.dim() == 5 else video
        )

    def step(self, loss: torch.Tensor, optimizer: torch.optim.Optimizer, key: str) -> None:
        """Backward pass and optimiser step; with fp16, scaled, and skipped when gradients overflowed."""
        scaler = self.scalers[key]
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    def state_dict(self) -> dict[str, dict]:
        return {key: scaler.state_dict() for key, scaler in self.scalers.items()}

    def load_state_dict(self, state: dict[str, dict]) -> None:
        for key, scaler in self.scalers.items():
            if state.get(key):
                scaler.load_state_dict(state[key])


def compiled(module: nn.Module, on: bool) -> nn.Module:
    """``module`` through ``torch.compile`` when ``on`` (its state dict keys stay the module's own)."""
    return torch.compile(module) if on else module


def of_run(train_config, device: torch.device) -> Precision:
    """The precision a run file asks for, for generating with its model (sampling, prediction, evaluation)."""
    return Precision(train_config.precision, device, train_config.channels_last, train_config.tf32)
