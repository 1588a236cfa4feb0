"""Run ``vpkit serve``: load the models, bind the socket, serve the application with uvicorn until Ctrl-C.

The socket is bound here rather than by uvicorn so that an address in use is a one-line user
error before anything is served, and so that ``--port 0`` can report the port it got.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click
import uvicorn

from vpkit.errors import VpkitError

from .app import create_app
from .models import load_models


def serve(
    run_dirs: list[Path], host: str = "127.0.0.1", port: int = 8000, checkpoint: str = "last", device: str = "auto"
) -> None:
    """Serve the generators of ``run_dirs`` at http://host:port/ until interrupted."""
    models = load_models(run_dirs, checkpoint, device)
    sock = bind(host, port)
    url = f"http://{_url_host(host)}:{sock.getsockname()[1]}/"
    click.echo(f"serving {', '.join(models)} at {url} (API docs at {url}docs); Ctrl-C stops", err=True)
    if not _is_loopback(host):
        click.echo(f"note: listening on {host}: other machines that reach this one can use the models", err=True)
    config = uvicorn.Config(create_app(models), log_level="info", server_header=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: a free port), or a user error saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise VpkitError(f"cannot listen on {host}:{port} ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise VpkitError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    sock.set_inheritable(True)
    return sock


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
