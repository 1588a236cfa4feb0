"""Offline, the youtube source says so within seconds (exit 2) and points at the folder source.

No test here reaches the internet: the hosts are closed ports on 127.0.0.1, or a network
namespace with no network at all.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from vpkit_youtube.source import YoutubeSource

from vpkit import ClipSpec, ClipWriter, ConfigError

CLIP = ClipSpec(8, 32)
EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(tmp_path, **options) -> ClipWriter:
    writer = ClipWriter(tmp_path / "store", CLIP, {}, cache_dir=tmp_path / "cache")
    YoutubeSource(YoutubeSource.Config(**options), CLIP).prepare(writer)
    return writer


def offline_error(tmp_path, **options) -> str:
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        prepare(tmp_path, **options)
    assert time.monotonic() - started < 8  # yt-dlp alone takes 29 s to give up, with its retries
    assert info.value.exit_code == 2
    assert "use the folder source" in info.value.message and "\n" not in info.value.message
    return info.value.message


def test_a_search_through_a_closed_proxy(tmp_path, closed_port):
    message = offline_error(tmp_path, query="dunk contest", proxy=f"http://127.0.0.1:{closed_port}")
    assert message.startswith(f"no network: cannot reach YouTube through the proxy 127.0.0.1:{closed_port} (")
    assert "refused" in message.lower()


def test_the_environment_proxy_counts(tmp_path, no_internet):
    message = offline_error(tmp_path, query="dunk contest")
    assert message.startswith("no network: cannot reach YouTube through the proxy 127.0.0.1:9 (")


def test_urls_on_a_host_that_is_not_there(tmp_path, closed_port):
    url = f"http://127.0.0.1:{closed_port}/game.mp4"
    message = offline_error(tmp_path, urls=[url, url.replace("game", "other")])
    assert message.startswith(f"no network: cannot reach 127.0.0.1:{closed_port} (")


def test_many_hosts_are_tried_at_once(tmp_path):
    ports = []
    for _ in range(20):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
    message = offline_error(tmp_path, urls=[f"http://127.0.0.1:{port}/v.mp4" for port in ports])
    assert message.startswith(f"no network: cannot reach 127.0.0.1:{ports[0]} (")


def test_one_host_that_answers_is_enough(tmp_path, closed_port, http_server, media):
    good = http_server.serve("/plain.mp4", body=media["plain"].read_bytes())
    writer = prepare(tmp_path, urls=[f"http://127.0.0.1:{closed_port}/gone.mp4", good], retries=0)
    assert [shard["key"] for shard in writer.manifest["shards"]] != []
    assert len(writer.manifest["skipped"]) == 1


def test_data_in_a_network_namespace(tmp_path):
    """`vpkit data` on the shipped YouTube run file, where no name resolves: one line, exit 2, at once."""
    unshare = shutil.which("unshare")
    if not unshare or subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode:
        pytest.skip("needs unprivileged network namespaces (unshare -rn)")
    command = [unshare, "-rn", sys.executable, "-m", "vpkit", "data", str(EXAMPLES / "basketball.yaml")]
    command += ["--set", f"output.cache_dir={tmp_path}"]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20  # Python and plugins start, then the check: seconds
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: no network: cannot reach YouTube (www.youtube.com: ")
    assert "use the folder source" in line
