"""Progress bars for preparing a clip store: videos, bytes downloaded, clips extracted.

Bars go to stderr and only show on a terminal; messages printed through :meth:`note` do not
tear them. A source that downloads nothing never shows the bytes bar.
"""

from __future__ import annotations

import sys

from tqdm import tqdm


class Progress:
    def __init__(self, label: str, total: int | None = None):
        self._bars: list[tqdm] = []
        self.videos = self._bar(f"{label} videos", "video", total)
        self.clips = self._bar(f"{label} clips", "clip")
        self._bytes: tqdm | None = None

    def _bar(self, desc: str, unit: str, total: int | None = None, **kwargs) -> tqdm:
        bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None, dynamic_ncols=True, **kwargs)
        self._bars.append(bar)
        return bar

    @property
    def bytes(self) -> tqdm:
        if self._bytes is None:
            self._bytes = self._bar("downloaded", "B", unit_scale=True, unit_divisor=1024)
        return self._bytes

    def note(self, message: str) -> None:
        """Print one line to stderr above the bars."""
        note(message)

    def close(self) -> None:
        for bar in self._bars:
            bar.close()


def note(message: str) -> None:
    """Print one line to stderr, above any progress bar (a warning, a cache being rebuilt)."""
    tqdm.write(message, file=sys.stderr)
