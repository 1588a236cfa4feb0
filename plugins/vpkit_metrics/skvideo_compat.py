"""scikit-video on numpy 2, in the open.

scikit-video 1.1.11 (the latest release) calls ``np.int`` and ``np.float`` in
``skvideo.measure``; numpy 1.24 removed those aliases, so SSIM and PSNR fail with
AttributeError on numpy 2. They were plain aliases of the builtins ``int`` and ``float``, so
restoring exactly that, only when missing, gives the code its original meaning without
pinning numpy. This adds the two names to the ``numpy`` module for the whole process; it
changes nothing for code that never used them (they raise AttributeError otherwise).
"""

from __future__ import annotations

import numpy as np

#: The removed numpy aliases that skvideo.measure uses, and what they meant.
ALIASES = {"int": int, "float": float}


def restore_numpy_aliases() -> None:
    """Restore the aliases numpy lacks (none on numpy < 1.24)."""
    for name, builtin in ALIASES.items():
        if name not in np.__dict__:
            setattr(np, name, builtin)


def measure():
    """``skvideo.measure``, usable on this numpy."""
    restore_numpy_aliases()
    import skvideo.measure

    return skvideo.measure
