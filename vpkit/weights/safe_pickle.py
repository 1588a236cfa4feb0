"""Read a Python pickle that may hold only numpy arrays inside plain containers.

Unpickling runs whatever callable a pickle names, so a weights file from elsewhere could run
code. Dicts, lists, tuples, strings and numbers need no global at all; numpy arrays need the
array type, the dtype type and numpy's reconstruction functions (``_reconstruct``, and
``_frombuffer`` for protocol 5; under numpy 1's module names or numpy 2's), and protocol 2
stores bytes through ``_codecs.encode``. Every other global is refused before it is looked
up, and the message names it.
"""

from __future__ import annotations

import codecs
import io
import pickle
from typing import Any, BinaryIO

import numpy as np

_RECONSTRUCT = np.zeros(1).__reduce_ex__(2)[0]
_FROMBUFFER = np.zeros(1).__reduce_ex__(5)[0]
ALLOWED = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): codecs.encode,
    **{(f"numpy.{core}.multiarray", "_reconstruct"): _RECONSTRUCT for core in ("core", "_core")},
    **{(f"numpy.{core}.numeric", "_frombuffer"): _FROMBUFFER for core in ("core", "_core")},
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
