"""Flax parameters (numpy arrays from a safely unpickled checkpoint) as PyTorch tensors."""

from __future__ import annotations

import numpy as np
import torch


def conv_kernel(kernel: np.ndarray) -> torch.Tensor:
    """A Flax convolution kernel (..spatial.., in, out) as PyTorch's (out, in, ..spatial..)."""
    kernel = np.asarray(kernel, dtype=np.float32)
    axes = (kernel.ndim - 1, kernel.ndim - 2, *range(kernel.ndim - 2))
    return torch.from_numpy(np.ascontiguousarray(kernel.transpose(axes)))


def array(values: np.ndarray) -> torch.Tensor:
    """A float32 tensor of its own (not sharing the unpickled array's memory)."""
    return torch.from_numpy(np.array(values, dtype=np.float32))
