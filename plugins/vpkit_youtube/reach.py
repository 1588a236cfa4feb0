"""Whether the hosts a ``youtube`` source needs can be reached, asked once before any request.

Offline, yt-dlp fails only after its retries and back-off (29 s with the defaults) and says
``Failed to resolve 'www.youtube.com' ([Errno -2] ...``. One connection per host, a few seconds
at most, tells sooner and says it plainly. Through a proxy (``proxy``, or the environment's
``HTTPS_PROXY`` and its kin, as yt-dlp uses them) the proxy is what must answer.
"""

from __future__ import annotations

import socket
import threading
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
    """Raise a :class:`ConfigError` (exit 2) when none of ``urls`` can be reached; nothing to ask is fine."""
    if not urls:
        return
    failures = []
    for url in urls:
        via = proxy or _environment_proxy(url)
        host, port = _address(via or url)
        reason = _unreachable(host, port, min(timeout, PROBE_SECONDS))
        if reason is None:
            return
        failures.append((url, via, host, port, reason))
    url, via, host, port, reason = failures[0]
    what = "YouTube" if _is_youtube(url) else urlsplit(url).netloc
    through = f" through the proxy {host}:{port}" if via else ""
    raise ConfigError(f"no network: cannot reach {what}{through} ({reason}); {FOLDER_HINT}")


def _environment_proxy(url: str) -> str | None:
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url if "//" in url else f"http://{url}")
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _unreachable(host: str, port: int, seconds: float) -> str | None:
    """Why ``host:port`` cannot be connected to within ``seconds``, or None if it can.

    Resolving a name has no timeout of its own, so the attempt runs in a thread that is given up
    on (it ends by itself) when the time is up.
    """
    outcome: list[str | None] = []

    def attempt() -> None:
        try:
            socket.create_connection((host, port), timeout=seconds).close()
            outcome.append(None)
        except socket.gaierror as exc:
            outcome.append(f"{host}: {exc.strerror or exc}")
        except OSError as exc:
            outcome.append(exc.strerror or str(exc) or type(exc).__name__)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(seconds + 0.5)
    return outcome[0] if outcome else f"no answer within {seconds:g} s"


def _is_youtube(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "youtu.be" or host == "youtube.com" or host.endswith(".youtube.com")
