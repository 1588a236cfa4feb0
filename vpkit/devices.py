"""Which torch device a run or command uses: one check for run files and options, one choice at run time.

The check reads the name itself rather than asking torch, so that validating a run file
imports no torch.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from vpkit.errors import VpkitError, shown

if TYPE_CHECKING:  # pragma: no cover
    import torch

#: ``cpu``, ``cuda`` or ``cuda:N`` (``cpu:N`` too, as torch reads it). torch parses more device
#: types (``meta``, ``xla``, ...), but a model there holds no data or needs set-up vpkit does not do.
_DEVICE = re.compile(r"(cpu|cuda)(:\d+)?")


def check_device(name: str) -> str:
    """Raise ``ValueError`` unless ``name`` is ``auto`` or a CPU or CUDA device."""
    if name != "auto" and not _DEVICE.fullmatch(name):
        raise ValueError(f"expected auto, cpu, cuda or cuda:N, got {shown(name)}")
    return name


def pick_device(name: str) -> torch.device:
    """``auto`` is CUDA when present, else CPU; asking for CUDA without it is a user error."""
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise VpkitError(f"device {name!r} asked for, but this machine has no usable CUDA; use auto or cpu")
    return device
