"""Which torch device a run or command uses: one check for run files and options, one choice at run time."""

from __future__ import annotations

import torch

from vpkit.errors import VpkitError, shown


#: Device types vpkit trains and generates on. torch parses more (``meta``, ``xla``, ...), but
#: a model there holds no data or needs set-up that vpkit does not do.
DEVICE_TYPES = ("cpu", "cuda")


def check_device(name: str) -> str:
    """Raise ``ValueError`` unless ``name`` is ``auto`` or a CPU or CUDA device torch can parse."""
    if name != "auto":
        try:
            usable = torch.device(name).type in DEVICE_TYPES
        except RuntimeError:
            usable = False
        if not usable:
            raise ValueError(f"expected auto, cpu, cuda or cuda:N, got {shown(name)}")
    return name


def pick_device(name: str) -> torch.device:
    """``auto`` is CUDA when present, else CPU; asking for CUDA without it is a user error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise VpkitError(f"device {name!r} asked for, but this machine has no usable CUDA; use auto or cpu")
    return device
