"""Native decoders' logs, taken off the terminal and put in the debug log.

decord's C++ code, and the FFmpeg libraries inside it, write straight to the process's stderr,
past Python: ``[h264 @ 0x...] decode_slice_header error`` while decoding, or
``video_reader.cc:83: ERROR opening ...`` before vpkit's own one-line message. Around each call
into them, file descriptor 2 points at a temporary file; what they wrote there goes to the
``vpkit.video`` logger at DEBUG level, where ``logging`` shows it to whoever asks.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator

log = logging.getLogger("vpkit.video")

#: One redirection at a time: file descriptor 2 belongs to the whole process.
_redirecting = threading.RLock()


@contextlib.contextmanager
def native_logs_to_debug() -> Iterator[None]:
    """Within the block, what native code writes to stderr goes to the debug log instead."""
    with _redirecting, tempfile.TemporaryFile() as captured:
        if sys.stderr is not None:
            sys.stderr.flush()  # what Python wrote before the block still reaches the terminal
        try:
            saved = os.dup(2)
        except OSError:  # no stderr to redirect (closed): nothing can reach a terminal anyway
            yield
            return
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            for line in captured.read().decode(errors="replace").splitlines():
                if line.strip():
                    log.debug("native decoder: %s", line.rstrip())
