"""yt-dlp as a library: its options, its messages, its errors, and retries with back-off."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import (
    ContentTooShortError,
    DownloadError,
    ExtractorError,
    match_filter_func,
)

T = TypeVar("T")

JS_RUNTIME_HINT = (
    "yt-dlp needs a JavaScript runtime for YouTube: install deno (https://deno.com) "
    "or node (https://nodejs.org) and run again"
)


class Logger:
    """Takes yt-dlp's messages off the terminal; turns its JavaScript-runtime warnings into one hint."""

    def __init__(self, note: Callable[[str], None]):
        self.note = note
        self.hinted = False

    def debug(self, message: str) -> None:
        pass

    info = debug

    def warning(self, message: str) -> None:
        if "JavaScript runtime" in message and not self.hinted:
            self.hinted = True
            self.note(JS_RUNTIME_HINT)

    error = warning  # the message also reaches us as the exception; only the hint is worth printing


def duration_filter(max_duration: float | None):
    """A yt-dlp ``match_filter``: longer than ``max_duration`` seconds is out, unknown durations pass."""
    return match_filter_func(f"duration <=? {max_duration}") if max_duration else None


def params(config: Any, outtmpl: Path, logger: Logger, hook: Callable[[dict], None]) -> dict[str, Any]:
    """YoutubeDL options for the ``youtube`` source's ``config``, downloading to ``outtmpl``."""

    def backoff(n: int) -> float:  # yt-dlp passes the retry number, from 0, as ``n``
        return config.retry_backoff * 2**n

    options = {
        "format": config.format,
        "outtmpl": {"default": str(outtmpl)},
        "quiet": True,
        "noprogress": True,
        "logger": logger,
        "progress_hooks": [hook],
        "retries": config.retries,
        "fragment_retries": config.retries,
        "extractor_retries": config.retries,
        "retry_sleep_functions": {"http": backoff, "fragment": backoff, "extractor": backoff},
        "socket_timeout": config.socket_timeout,
        "match_filter": duration_filter(config.max_duration),
        "noplaylist": True,  # a watch URL that names a playlist means the video; playlist URLs still expand
        "fixup": "never",  # single-file formats need no ffmpeg fix-ups
        "overwrites": False,
        "continuedl": True,
        # yt-dlp enables only deno by default; node works as well (deno is still preferred).
        "js_runtimes": {"deno": {}, "node": {}},
    }
    if config.cookies:
        options["cookiefile"] = str(Path(config.cookies).expanduser())
    if config.rate_limit:
        options["ratelimit"] = parse_rate(config.rate_limit)
    if config.proxy:
        options["proxy"] = config.proxy
    return options


def parse_rate(text: str) -> int:
    """``50K``, ``4.2M`` or a plain number of bytes per second."""
    from yt_dlp.utils import parse_bytes

    value = parse_bytes(str(text))
    if not value or value <= 0:
        raise ValueError(f"expected a rate such as 500K or 2M (bytes per second), got {text!r}")
    return int(value)


def transient(exc: DownloadError) -> bool:
    """Worth another try: a 5xx or 429, a dropped or timed-out connection while extracting.

    Failures while downloading the file itself were already retried inside yt-dlp
    (``retries``, resuming the partial file), so they are not retried again here.
    """
    error = exc.exc_info[1] if exc.exc_info else None
    if isinstance(error, ExtractorError):
        error = error.cause
    if isinstance(error, ContentTooShortError) or "unable to download video data" in str(exc):
        return False
    if isinstance(error, HTTPError):
        return error.status >= 500 or error.status == 429
    return isinstance(error, (TransportError, TimeoutError, ConnectionError))


def with_retries(action: Callable[[], T], retries: int, backoff: float) -> T:
    """Run ``action``, retrying transient yt-dlp failures with exponential back-off."""
    attempt = 0
    while True:
        try:
            return action()
        except DownloadError as exc:
            if attempt >= retries or not transient(exc):
                raise
        time.sleep(backoff * 2**attempt)
        attempt += 1


def reason(exc: BaseException) -> str:
    """yt-dlp's error as a short reason: no ``ERROR:`` prefix, no extractor tag, one line.

    A reason is never empty (an empty one would count the video as stored): when yt-dlp's
    message says nothing, the exception it wraps names the failure.
    """
    line = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    text = re.sub(r"^(ERROR:\s*)?(\[[\w:]+\]\s*)?([\w.-]+:\s+)?", "", line)
    text = re.sub(r"\s*\(caused by <.*>\)$", "", text)
    text = re.sub(r";\s*please report this issue.*$", "", text)
    if not text:
        cause = (getattr(exc, "exc_info", None) or (None, None, None))[1]
        text = f"{type(cause).__name__}: {cause}".rstrip(": ") if cause is not None else type(exc).__name__
    return text[:200]
