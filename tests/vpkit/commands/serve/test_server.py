"""``vpkit serve`` refuses what it cannot serve with one line before it listens."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from vpkit.commands.cli import cli


def serve(*args, code: int = 1) -> str:
    """The error of ``vpkit serve ARGS``: exit status 2 for input that is not there, 1 for a failure."""
    result = CliRunner().invoke(cli, ["serve", *map(str, args), "--device", "cpu"])
    assert result.exit_code == code and isinstance(result.exception, SystemExit), result.output
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1, result.output
    return result.output


def test_port_in_use(future_run):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert f"cannot listen on 127.0.0.1:{port} (Address already in use)" in serve(future_run, "--port", port)


def test_not_a_run_directory(tmp_path):
    assert "not a vpkit run directory" in serve(tmp_path, code=2)


def test_two_runs_with_one_name(future_run):
    assert "would both be served as 'videogan_future'" in serve(future_run, future_run, code=2)


def test_missing_best_checkpoint(future_run):
    assert "best.pt: no checkpoint there" in serve(future_run, "--checkpoint", "best", code=2)
