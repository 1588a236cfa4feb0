"""Which torch device a run or command uses: one check for run files and options, one choice at run time."""

from __future__ import annotations

import torch

from vpkit.errors import VpkitError


def check_device(name: str) -> str:
    """Raise ``ValueError`` unless ``name`` is ``auto`` or a device torch can parse."""
    if name != "auto":
        try:
            torch.device(name)
        except RuntimeError:
            raise ValueError(f"expected auto, cpu, cuda or cuda:N, got {name!r}") from None
    return name


def pick_device(name: str) -> torch.device:
    """``auto`` is CUDA when present, else CPU; asking for CUDA without it is a user error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise VpkitError(f"device {name!r} asked for, but this machine has no usable CUDA; use auto or cpu")
    return device
