"""Whether the hosts a ``youtube`` source needs can be reached, asked once before any request.

Offline, yt-dlp fails only after its retries and back-off (29 s with the defaults) and says
``Failed to resolve 'www.youtube.com' ([Errno -2] ...``. One connection per host, a few seconds
at most, tells sooner and says it plainly. Through a proxy (``proxy``, or the environment's
``HTTPS_PROXY`` and its kin, as yt-dlp uses them) the proxy is what must answer.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from urllib.parse import urlsplit

from vpkit import ConfigError

#: Seconds to wait for one host (its name resolved, then a connection); at most the socket timeout.
PROBE_SECONDS = 5.0
FOLDER_HINT = (
    "to train on videos you have, use the folder source (source: {name: folder, path: DIR}); "
    "`vpkit footage DIR` writes a small real-footage set there"
)


def check_reachable(urls: list[str], proxy: str | None, timeout: float) -> None:
    """Raise a :class:`ConfigError` (exit 2) when none of ``urls`` can be reached; nothing to ask is fine.

    Each host (or proxy) is tried once, all at the same time, so the answer takes a few seconds
    however many there are.
    """
    targets: dict[tuple[str, int], tuple[str, str | None]] = {}
    for url in urls:
        via = proxy or _environment_proxy(url)
        targets.setdefault(_address(via or url), (url, via))
    if not targets:
        return
    attempts = {address: _Attempt(*address, min(timeout, PROBE_SECONDS)) for address in targets}
    for attempt in attempts.values():
        attempt.wait()
    if any(attempt.reason is None for attempt in attempts.values()):
        return
    (host, port), (url, via) = next(iter(targets.items()))
    what = "YouTube" if _is_youtube(url) else urlsplit(url).netloc
    through = f" through the proxy {host}:{port}" if via else ""
    raise ConfigError(f"no network: cannot reach {what}{through} ({attempts[host, port].reason}); {FOLDER_HINT}")


def _environment_proxy(url: str) -> str | None:
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url if "//" in url else f"http://{url}")
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


class _Attempt:
    """One connection to ``host:port`` in a thread of its own, begun at once; ``wait`` gives it
    ``seconds`` from its start. ``reason`` is why it failed, or None once it connected.

    Resolving a name has no timeout of its own, so a thread still resolving when the time is
    up is given up on (it ends by itself).
    """

    def __init__(self, host: str, port: int, seconds: float):
        self.host, self.port, self.seconds = host, port, seconds
        self.reason: str | None = f"no answer within {seconds:g} s"
        self.deadline = time.monotonic() + seconds + 0.5
        self.thread = threading.Thread(target=self._connect, daemon=True)
        self.thread.start()

    def _connect(self) -> None:
        try:
            socket.create_connection((self.host, self.port), timeout=self.seconds).close()
            self.reason = None
        except socket.gaierror as exc:
            self.reason = f"{self.host}: {exc.strerror or exc}"
        except OSError as exc:
            self.reason = exc.strerror or str(exc) or type(exc).__name__

    def wait(self) -> None:
        self.thread.join(max(0.0, self.deadline - time.monotonic()))


def _is_youtube(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "youtu.be" or host == "youtube.com" or host.endswith(".youtube.com")
