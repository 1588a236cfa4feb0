"""A real HTTP server on 127.0.0.1 that serves videos (well or badly, on request), and a folder of footage."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    """How the server answers one path: a body, a status, failures before success, or a cut-off."""

    body: bytes = b""
    content_type: str = "video/mp4"
    status: int = 200
    fail_first: int = 0  # answer 503 this many times, then serve
    drop_at: int | None = None  # close the connection after this many bytes of the file
    drops: int = 10**9  # ... on this many requests, then serve in full
    hits: int = 0


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, str | None]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, **route) -> str:
        self.routes[path] = Route(**route)
        return self.url(path)

    def requests(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)


def _handler(server: Server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep the test output clean
            pass

        def do_GET(self):
            route = server.routes.get(self.path)
            server.log.append((self.path, self.headers.get("Range")))
            if route is None or route.status != 200:
                return self._status(route.status if route else 404)
            route.hits += 1
            if route.hits <= route.fail_first:
                return self._status(503)
            start = int(self.headers["Range"].split("=")[1].split("-")[0]) if self.headers.get("Range") else 0
            body = route.body[start:]
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(route.body) - 1}/{len(route.body)}")
            self.end_headers()
            dropping = route.drop_at is not None and route.hits - route.fail_first <= route.drops
            try:
                self.wfile.write(body[: max(0, route.drop_at - start)] if dropping else body)
                self.wfile.flush()
                if dropping:
                    self.close_connection = True
                    self.connection.shutdown(2)
            except OSError:  # the client hung up first (the extractor's probe reads headers only)
                pass

        def _status(self, code: int):
            body = f"<html><body>{code}</body></html>".encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def http_server():
    """A threaded HTTP server on 127.0.0.1 (a free port) for one test; stopped after it."""
    server = Server("")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def video_dir(tmp_path, media):
    """A folder of footage: good files in nested folders, plus broken ones."""
    root = tmp_path / "footage"
    (root / "games" / "2024").mkdir(parents=True)
    shutil.copy(media["plain"], root / "games" / "plain.mp4")
    shutil.copy(media["cut"], root / "games" / "2024" / "cut.MP4")
    shutil.copy(media["webm"], root / "clip.webm")
    shutil.copy(media["text"], root / "notes.mp4")
    (root / "readme.txt").write_text("not footage")
    return root
