"""``vpkit evaluate`` and evaluation during training, end to end on tiny runs."""

import json

import pytest
import torch
from click.testing import CliRunner
from torch import nn

from vpkit import Generator, GeneratorOutput, hookimpl
from vpkit.commands.cli import cli
from vpkit.config.runfile import load_run
from vpkit.engine.evaluation import build_metrics
from vpkit.errors import ConfigError


class StillGenerator(Generator):
    """A real, if modest, conditional generator: it predicts that the first frame stays put,
    scaled by one learned gain."""

    name = "still"
    conditional = True

    def __init__(self, config, clip):
        super().__init__(config, clip)
        self.gain = nn.Parameter(torch.ones(()))

    def sample_latent(self, batch_size, generator=None):
        return torch.randn(batch_size, 1, generator=generator)

    def forward(self, z, condition=None):
        video = (condition * self.gain).clamp(-1, 1).unsqueeze(2).expand(-1, -1, self.clip.frames, -1, -1)
        return GeneratorOutput(video)


class StillPlugin:
    @hookimpl
    def register_generators(self, register):
        register(StillGenerator)


@pytest.fixture
def still(register_plugin):
    register_plugin(StillPlugin(), "still-test")


def _cli(*args, env=None, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


def test_evaluate_fvd_on_a_tiny_run(tmp_path, tiny_run, i3d_weights):
    run_dir = tmp_path / "run"
    _cli("run", tiny_run(steps=2), "-o", run_dir, "--set", "clip.frames=12")
    env = {"VPKIT_I3D_WEIGHTS": str(i3d_weights)}

    out = _cli("evaluate", run_dir, "--metrics", "fvd", "-n", 2, env=env).output
    assert "fvd" in out and "2 real / 2 generated" in out
    document = json.loads((run_dir / "metrics.json").read_text())
    fvd = document["metrics"]["fvd"]
    assert document["step"] == 2 and fvd["real_videos"] == fvd["generated_videos"] == 2
    assert fvd["protocol"] == {"split": "val", "videos": 2, "frames": 12, "size": 16, "seed": 3,
                               "paired_frames": "predicted frames 1..T-1 from frame 0 vs the real frames 1..T-1"}
    assert len(fvd["weights_sha256"]) == 64 and fvd["covariance"] == "unbiased (N - 1)"
    stats = list((tmp_path / "cache" / "stats").glob("fvd-*.npz"))
    assert len(stats) == 1
    stamp = stats[0].stat().st_mtime_ns

    # The second evaluation takes the real statistics from the cache and agrees.
    _cli("evaluate", run_dir, "--metrics", "fvd", "-n", 2, env=env)
    assert stats[0].stat().st_mtime_ns == stamp
    again = json.loads((run_dir / "metrics.json").read_text())["metrics"]["fvd"]["fvd"]
    assert again == pytest.approx(fvd["fvd"], rel=1e-9, abs=1e-12)

    refused = _cli("evaluate", run_dir, "--metrics", "ssim", code=2).output
    assert "ssim is a paired metric: it needs a conditional generator" in refused and "Traceback" not in refused
    assert "has 4 clips, fewer than the 5 videos" in _cli("evaluate", run_dir, "--metrics", "fvd", "-n", 5, env=env, code=2).output


def _still_run(write_yaml, tmp_path, extra=""):
    return write_yaml(f"""\
        seed: 1
        clip: {{frames: 4, size: 16}}
        source: {{name: synthetic, train_clips: 8, val_clips: 3, clips_per_shard: 4}}
        model:
          generator: still
          discriminator: {{name: videogan, width: 0.125}}
        train: {{steps: 2, batch_size: 2, device: cpu, log_every: 1, sample_every: 2, checkpoint_every: 2, samples: 2}}
        metrics: [ssim, psnr]
        evaluation: {{every: 1, videos: 3, batch_size: 2{extra}}}
        output: {{cache_dir: {tmp_path / "cache"}}}
        """, "still.yaml")


def test_training_evaluates_logs_and_keeps_the_best(still, tmp_path, write_yaml):
    run_dir = tmp_path / "run"
    _cli("run", _still_run(write_yaml, tmp_path, ", best: psnr"), "-o", run_dir)
    lines = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [line["step"] for line in lines] == [1, 2]
    assert all(0 < line["ssim"] <= 1 and line["psnr"] > 0 for line in lines)
    assert lines[0]["protocol"]["videos"] == 3
    assert (run_dir / "checkpoints" / "best.pt").is_file()
    best = torch.load(run_dir / "checkpoints" / "best.pt", weights_only=True)["step"]
    assert lines[best - 1]["psnr"] == max(line["psnr"] for line in lines)
    assert any(p.name.startswith("events") for p in (run_dir / "tensorboard").iterdir())

    # vpkit evaluate defaults to the run file's metrics; --checkpoint picks the best one
    out = _cli("evaluate", run_dir, "-n", 3, "--checkpoint", run_dir / "checkpoints" / "best.pt").output
    assert "ssim" in out and "psnr" in out
    document = json.loads((run_dir / "metrics.json").read_text())
    assert set(document["metrics"]) == {"ssim", "psnr"} and document["metrics"]["psnr"]["videos"] == 3
    assert document["step"] == best and document["checkpoint"].endswith("best.pt")
    assert document["metrics"]["psnr"]["psnr"] == pytest.approx(lines[best - 1]["psnr"])


def test_run_file_checks_metrics_against_the_generator(still, tmp_path, write_yaml):
    with pytest.raises(ConfigError, match=r"evaluation.best: 'psnx' is not one of the run's metrics \(did you mean 'psnr'\?\)"):
        load_run(_still_run(write_yaml, tmp_path, ", best: psnx"))
    path = write_yaml("""\
        clip: {frames: 16, size: 32}
        source: synthetic
        model: {generator: videogan, discriminator: videogan}
        metrics: [fvd, lpips]
        """)
    with pytest.raises(ConfigError, match=r"run.yaml:4: metrics\[1\].name: lpips is a paired metric: it needs a conditional generator"):
        load_run(path)
    short = write_yaml("""\
        clip: {frames: 8, size: 32}
        source: synthetic
        model: {generator: videogan, discriminator: videogan}
        metrics: [fvd]
        """, "short.yaml")
    with pytest.raises(ConfigError, match="FVD's I3D needs clips of at least 9 frames, got 8"):
        load_run(short)


def test_resumed_training_keeps_one_metrics_history(still, tmp_path, write_yaml):
    run_dir = tmp_path / "run"
    run_file = _still_run(write_yaml, tmp_path)
    _cli("run", run_file, "-o", run_dir)
    _cli("run", run_file, "-o", run_dir, "--resume", "--set", "train.steps=3")
    steps = [json.loads(line)["step"] for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert steps == [1, 2, 3]


def test_default_metrics_skip_what_the_run_cannot_serve(tiny_run):
    run = load_run(tiny_run(), ["clip.frames=12"])
    metrics, notes = build_metrics(run, None, run.generator.cls)
    assert [m.name for m in metrics] == ["fvd"]
    assert [n.split(":")[0] for n in notes] == ["skipped lpips", "skipped psnr", "skipped ssim"]
    with pytest.raises(ConfigError, match="--metrics fvd: FVD's I3D needs clips of at least 9 frames, got 4"):
        build_metrics(load_run(tiny_run()), ["fvd"], run.generator.cls)


def test_missing_weights_stop_training_before_it_starts(tmp_path, tiny_run):
    run_dir = tmp_path / "run"
    env = {"VPKIT_I3D_WEIGHTS": str(tmp_path / "absent.pt")}
    out = _cli("run", tiny_run(), "-o", run_dir, "--set", "clip.frames=12", "--set", "metrics=[fvd]",
               "--set", "evaluation.videos=2", env=env, code=1).output
    assert "absent.pt: no I3D weights file there (from $VPKIT_I3D_WEIGHTS)" in out
    assert not (run_dir / "checkpoints").exists()


def test_evaluate_adds_to_metrics_json(still, tmp_path, write_yaml):
    """--metrics psnr after --metrics ssim keeps SSIM; each entry keeps its protocol, step and checkpoint."""
    run_dir = tmp_path / "run"
    _cli("run", _still_run(write_yaml, tmp_path), "-o", run_dir)
    _cli("evaluate", run_dir, "--metrics", "ssim", "-n", 3)
    table = _cli("evaluate", run_dir, "--metrics", "psnr", "-n", 2, "--checkpoint", run_dir / "checkpoints" / "best.pt").stdout
    assert "psnr" in table and "ssim" not in table  # the table shows this checkpoint's numbers
    document = json.loads((run_dir / "metrics.json").read_text())
    ssim, psnr = document["metrics"]["ssim"], document["metrics"]["psnr"]
    assert ssim["protocol"]["videos"] == 3 and psnr["protocol"]["videos"] == 2
    assert ssim["checkpoint"].endswith("last.pt") and psnr["checkpoint"].endswith("best.pt")
    assert ssim["step"] == 2 and psnr["step"] == torch.load(run_dir / "checkpoints" / "best.pt", weights_only=True)["step"]
    assert document["checkpoint"] == psnr["checkpoint"]
