"""Read a Python pickle that may hold only numpy arrays inside plain containers.

Unpickling runs whatever callable a pickle names, so a weights file from elsewhere could run
code. Dicts, lists, tuples, strings and numbers need no global at all; numpy arrays need
exactly three (the array type, the dtype type and the reconstruction function, under the
module name of either numpy 1 or numpy 2). Every other global is refused before it is looked
up, and the message names it.
"""

from __future__ import annotations

import io
import pickle
from typing import Any, BinaryIO

import numpy as np

ALLOWED = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): np.ndarray.__reduce__(np.zeros(0))[0],
    ("numpy._core.multiarray", "_reconstruct"): np.ndarray.__reduce__(np.zeros(0))[0],
}


class UnsafePickleError(pickle.UnpicklingError):
    """The pickle names a global that is not a numpy array part."""


class NumpyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return ALLOWED[(module, name)]
        except KeyError:
            raise UnsafePickleError(f"refused to load {module}.{name}: only numpy arrays may be unpickled") from None


def load_numpy_pickle(data: bytes | BinaryIO) -> Any:
    """The object in ``data``, built only from plain containers and numpy arrays."""
    return NumpyUnpickler(io.BytesIO(data) if isinstance(data, bytes) else data).load()
