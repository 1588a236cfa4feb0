"""Training and evaluation with several processes on the CPU (gloo), started as users start them:
``vpkit run --nproc-per-node 2``, ``torchrun --nproc-per-node 2 -m vpkit ...``, and one torchrun
per machine meeting through c10d rendezvous (two "machines" on 127.0.0.1).

The throwaway models have no BatchNorm, so a run on 2 ranks x 4 clips must end with the weights
of a run on 1 rank x 8 clips: that proves the data slicing, the latents and the gradient
averaging together. They come from a plugin written by the test and made visible to the
launched processes the way pip would (a ``*.dist-info`` with its entry point on PYTHONPATH).
Multi-process runs are slow to start, so one pair of runs serves several tests.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from fixtures.run_files import write_run_file

from vpkit.engine.checkpoint import load_checkpoint
from vpkit.engine.distributed import RankLost, Ranks, collective
from vpkit.errors import ConfigError

PLUGIN = '''
"""Models without BatchNorm, so that any number of processes computes the same updates."""
import torch
from torch import nn
from vpkit import Discriminator, Generator, GeneratorOutput, Options, hookimpl


class LinearGenerator(Generator):
    name = "linear_exact"
    conditional = True

    class Config(Options):
        latent_dim: int = 4

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.net = nn.Linear(config.latent_dim, 3 * clip.frames * clip.size * clip.size)
        self.mix = nn.Parameter(torch.tensor(0.5))

    def sample_latent(self, batch_size, generator=None):
        return torch.randn(batch_size, self.config.latent_dim, generator=generator).to(self.net.weight.device)

    def forward(self, z, condition=None):
        c = self.clip
        motion = self.net(z).view(-1, 3, c.frames, c.size, c.size)
        return GeneratorOutput(torch.tanh(motion + self.mix * condition[:, :, -1:]))


class LinearDiscriminator(Discriminator):
    name = "linear_exact"

    class Config(Options):
        pass

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.net = nn.Linear(3 * clip.frames * clip.size * clip.size, 1)

    def forward(self, video):
        return self.net(video.flatten(1)).squeeze(1)


@hookimpl
def register_generators(register):
    register(LinearGenerator)


@hookimpl
def register_discriminators(register):
    register(LinearDiscriminator)
'''


# --- the environment and the launchers


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, str]:
    """An environment whose processes find the throwaway plugin through its entry point."""
    root = tmp_path_factory.mktemp("distributed")
    packages = root / "site"
    (packages / "exact_models-0.dist-info").mkdir(parents=True)
    (packages / "exact_models-0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: exact-models\nVersion: 0\n"
    )
    (packages / "exact_models-0.dist-info" / "entry_points.txt").write_text("[vpkit]\nexact = exact_models\n")
    (packages / "exact_models.py").write_text(PLUGIN)
    env = {k: v for k, v in os.environ.items() if k not in ("VPKIT_LOAD_PLUGINS", "RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(packages), env.get("PYTHONPATH")]))
    env["OMP_NUM_THREADS"] = "1"
    return {"root": str(root), **env}


def environment(site: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in site.items() if k != "root"}


def run_file(site, name: str, steps: int, checkpoint_every: int | None = None) -> Path:
    """The tiny run with the exact models, evaluated every 3 steps, in the module's folder."""
    root = Path(site["root"])
    return write_run_file(
        root / name,
        root / "cache",
        steps,
        seed=5,
        clip={"frames": 10},
        source={"train_clips": 16, "val_clips": 8},
        model={"generator": "linear_exact", "discriminator": "linear_exact"},
        train={"batch_size": 8, "lr": 0.001, "checkpoint_every": checkpoint_every or steps},
        metrics=["ssim"],
        evaluation={"every": 3, "videos": 4, "batch_size": 2, "resamples": 20},
        logging=["jsonl"],
    )


def vpkit(site, *args, processes: int | None = None, torchrun: bool = False) -> subprocess.CompletedProcess:
    """``vpkit ARGS`` as a user types it: alone, with --nproc-per-node, or under torchrun."""
    launcher = (
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(processes), "-m"]
        if torchrun
        else [sys.executable, "-m"]
    )
    extra = ["--nproc-per-node", str(processes)] if processes and not torchrun else []
    return subprocess.run(
        [*launcher, "vpkit", *map(str, args), *extra],
        env=environment(site),
        cwd=site["root"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def on_two_machines(site, *args) -> None:
    """``vpkit ARGS`` as on two machines of one process each: a torchrun launcher per machine,
    ``--nnodes 2`` with c10d rendezvous at an endpoint both reach (here 127.0.0.1); both must succeed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nnodes",
        "2",
        "--nproc-per-node",
        "1",
        "--rdzv-backend",
        "c10d",
        "--rdzv-endpoint",
        f"127.0.0.1:{port}",
        "--rdzv-id",
        "two-machines",
        "-m",
        "vpkit",
        *map(str, args),
    ]
    machines = [
        subprocess.Popen(
            command, env=environment(site), cwd=site["root"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for machine in machines:
        stdout, stderr = machine.communicate(timeout=300)
        finished(subprocess.CompletedProcess(machine.args, machine.returncode, stdout, stderr))


def finished(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def log_steps(run_dir: Path) -> list[int]:
    return [json.loads(line)["step"] for line in (run_dir / "log.jsonl").read_text().splitlines()]


def weights(run_dir: Path) -> dict[str, dict[str, torch.Tensor]]:
    state = load_checkpoint(run_dir / "checkpoints" / "last.pt")
    return {"step": state["step"], "generator": state["generator"], "discriminator": state["discriminator"]}


def assert_same_weights(a: dict, b: dict) -> None:
    assert a["step"] == b["step"]
    for net in ("generator", "discriminator"):
        for name in a[net]:
            torch.testing.assert_close(a[net][name], b[net][name], rtol=1e-4, atol=1e-6, msg=f"{net}.{name}")


@pytest.fixture(scope="module")
def two_and_one(site) -> tuple[Path, Path]:
    """The same 3-step run (with evaluation at step 3) on 2 processes x 4 clips and on 1 x 8."""
    path = run_file(site, "exact.yaml", steps=3)
    root = Path(site["root"])
    finished(vpkit(site, "run", path, "-o", root / "two", processes=2))
    finished(vpkit(site, "run", path, "-o", root / "one"))
    return root / "two", root / "one"


# --- training


def test_two_ranks_of_four_clips_train_the_weights_of_one_rank_of_eight(two_and_one):
    two, one = two_and_one
    a, b = weights(two), weights(one)
    assert_same_weights(a, b)
    initial = load_checkpoint(two / "checkpoints" / "last.pt")["config"]
    assert initial["train"]["batch_size"] == 8
    # trained, not a copy of the initial weights: the two runs moved away from their shared start
    assert not torch.equal(a["generator"]["mix"], torch.tensor(0.5))


def test_only_rank_0_writes(two_and_one):
    two, _ = two_and_one
    assert log_steps(two) == [1, 2, 3]  # one line per step, not one per process
    sessions = json.loads((two / "provenance.json").read_text())["sessions"]
    assert [s["world_size"] for s in sessions] == [2]
    assert json.loads((two / "status.json").read_text())["state"] == "finished"
    assert len((two / "metrics.jsonl").read_text().splitlines()) == 1
    assert sorted(p.name for p in (two / "samples").iterdir()) == ["step_000003.gif", "step_000003.mp4"]


def test_evaluation_during_training_is_that_of_one_process(two_and_one):
    two, one = two_and_one
    a, b = (json.loads((run / "metrics.jsonl").read_text()) for run in (two, one))
    assert a["step"] == b["step"] == 3
    assert a["ssim"] == pytest.approx(b["ssim"], rel=1e-5)
    assert a["baselines"] == b["baselines"]


def test_a_checkpoint_of_two_ranks_resumes_on_one_and_on_two_machines(site, two_and_one):
    two, _ = two_and_one
    root = Path(site["root"])
    on_one, on_two = root / "resumed-on-one", root / "resumed-on-two"
    shutil.copytree(two, on_one)
    shutil.copytree(two, on_two)
    path = run_file(site, "exact.yaml", steps=3)
    finished(vpkit(site, "run", path, "-o", on_one, "--resume", "--set", "train.steps=4"))
    on_two_machines(site, "run", path, "-o", on_two, "--resume", "--set", "train.steps=4")
    assert log_steps(on_one) == log_steps(on_two) == [1, 2, 3, 4]
    assert_same_weights(weights(on_one), weights(on_two))
    sessions = json.loads((on_two / "provenance.json").read_text())["sessions"]
    assert [(s["from_step"], s["world_size"]) for s in sessions] == [(0, 2), (3, 2)]


def interrupted_long_run(site, name: str, interrupt) -> tuple[Path, Path, subprocess.Popen, str]:
    """A long run on 2 processes started with ``--nproc-per-node``; once it has logged two steps,
    ``interrupt(launcher, run_dir)``; then the run file, the run directory, the ended launcher and its stderr."""
    path = run_file(site, "long.yaml", steps=10_000, checkpoint_every=10_000)
    run_dir = Path(site["root"]) / name
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vpkit",
            "run",
            str(path),
            "-o",
            str(run_dir),
            "--nproc-per-node",
            "2",
            "--set",
            "metrics=[]",
        ],
        env=environment(site),
        cwd=site["root"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (run_dir / "log.jsonl").is_file() or len(log_steps(run_dir)) < 2:
            assert launcher.poll() is None and time.monotonic() < deadline, "the run did not start"
            time.sleep(0.2)
        interrupt(launcher, run_dir)
        _, stderr = launcher.communicate(timeout=120)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
    return path, run_dir, launcher, stderr


def test_sigterm_to_the_launcher_stops_every_rank_after_one_checkpoint(site):
    path, run_dir, launcher, stderr = interrupted_long_run(
        site, "stopped", lambda launcher, run_dir: launcher.send_signal(signal.SIGTERM)
    )
    assert launcher.returncode != 0
    assert stderr.count("interrupted at step") == 1, stderr[-3000:]  # rank 0 says it, once
    state = load_checkpoint(run_dir / "checkpoints" / "last.pt")
    assert state["step"] == log_steps(run_dir)[-1]  # both ranks stopped after the step the checkpoint holds
    assert json.loads((run_dir / "status.json").read_text())["state"] == "interrupted"
    assert not workers_of(run_dir), "a rank outlived its launcher"
    resumed = finished(
        vpkit(
            site,
            "run",
            path,
            "-o",
            run_dir,
            "--resume",
            "--set",
            f"train.steps={state['step'] + 1}",
            "--set",
            "metrics=[]",
            processes=2,
        )
    )
    assert (
        "finished 1 step in " in resumed.stderr and f"(step {state['step']} to {state['step'] + 1})" in resumed.stderr
    )
    assert log_steps(run_dir) == list(range(1, state["step"] + 2))


def test_a_rank_that_dies_stops_the_others_with_a_message(site):
    def kill_one_rank(launcher, run_dir):
        os.kill(max(pid for pid in workers_of(run_dir) if pid != launcher.pid), signal.SIGKILL)

    _, run_dir, launcher, stderr = interrupted_long_run(site, "died", kill_one_rank)
    assert launcher.returncode != 0
    assert "another process of this run stopped or stopped answering" in stderr, stderr[-3000:]
    assert "Traceback" not in stderr
    assert not workers_of(run_dir)


def test_a_rank_whose_peer_is_gone_outlives_the_launchers_sigterm_to_say_so():
    """The launcher sends SIGTERM to the ranks left once one has died: a rank unwinding with
    RankLost must not be killed by it before it prints why it stops."""
    before = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(RankLost, match="another process of this run stopped or stopped answering while training"):
            with collective("training step 3"):
                raise torch.distributed.DistError("Connection closed by peer")
        os.kill(os.getpid(), signal.SIGTERM)  # what the launcher sends next: this process lives on
    finally:
        signal.signal(signal.SIGTERM, before)


def workers_of(run_dir: Path) -> list[int]:
    """Processes still running whose command line names ``run_dir``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(run_dir) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


# --- evaluation


def test_vpkit_evaluate_on_two_ranks_gives_the_numbers_of_one(site, two_and_one, real_weights):
    """FVD with the real I3D weights and SSIM, each from a cold statistics cache."""
    _, one = two_and_one
    env_site = {
        **site,
        **{k: os.environ[k] for k in ("VPKIT_WEIGHT_PACKAGES", "VPKIT_CACHE", "TORCH_HOME")},
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    env_site.pop("VPKIT_I3D_WEIGHTS", None)
    stats = Path(site["root"]) / "cache" / "stats"
    results = {}
    for processes in (2, 1):
        shutil.rmtree(stats, ignore_errors=True)
        command = ("evaluate", one, "--metrics", "ssim,fvd", "-n", "4")
        finished(vpkit(env_site, *command, processes=2, torchrun=True) if processes == 2 else vpkit(env_site, *command))
        results[processes] = json.loads((one / "metrics.json").read_text())["metrics"]
    for name in ("ssim", "fvd"):
        a, b = results[2][name], results[1][name]
        assert a[name] == pytest.approx(b[name], rel=1e-6, abs=1e-6)
        assert a["ci95"] == pytest.approx(b["ci95"], rel=1e-6, abs=1e-6)
        assert {k: v[name] for k, v in a["baselines"].items()} == pytest.approx(
            {k: v[name] for k, v in b["baselines"].items()}, rel=1e-6, abs=1e-6
        )
    assert results[1]["fvd"]["real_videos"] == results[2]["fvd"]["real_videos"] == 4


# --- rank helpers


def test_a_batch_that_ranks_cannot_share_evenly_is_refused():
    assert Ranks(1, 2).share(8) == slice(4, 8)
    with pytest.raises(
        ConfigError, match="train.batch_size is 6, which 4 processes cannot share evenly; make it a multiple of 4"
    ):
        Ranks(0, 4).share(6)


def test_ranks_take_contiguous_blocks_in_order():
    blocks = [list(Ranks(rank, 3).blocks(7)) for rank in range(3)]
    assert blocks == [[0, 1, 2], [3, 4], [5, 6]]
