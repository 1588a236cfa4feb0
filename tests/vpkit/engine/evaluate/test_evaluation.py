"""``vpkit evaluate`` and evaluation during training, end to end on tiny runs."""

import json

import pytest
import torch
from click.testing import CliRunner

from vpkit.commands.cli import cli
from vpkit.config.runfile import load_run
from vpkit.engine.evaluate.evaluator import build_metrics
from vpkit.errors import ConfigError


def _cli(*args, env=None, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


def test_evaluate_fvd_on_a_tiny_run(tmp_path, tiny_run, i3d_weights):
    run_dir = tmp_path / "run"
    _cli("run", tiny_run(steps=2), "-o", run_dir, "--set", "clip.frames=12")
    env = {"VPKIT_I3D_WEIGHTS": str(i3d_weights)}

    out = _cli("evaluate", run_dir, "--metrics", "fvd", "-n", 2, env=env).stdout
    document = json.loads((run_dir / "metrics.json").read_text())
    fvd = document["metrics"]["fvd"]
    assert document["step"] == 2 and fvd["real_videos"] == fvd["generated_videos"] == 2
    assert fvd["protocol"] == {
        "split": "val",
        "videos": 2,
        "frames": 12,
        "size": 16,
        "context": 0,
        "samples": 1,
        "scored_frames": [0, 11],
        "seed": 3,
        "resamples": 1000,
        "generated": "generated from seeded latents, no frame given; compared with the real clips as sets",
    }
    assert 0 <= fvd["ci95"][0] <= fvd["fvd"] <= fvd["ci95"][1] and fvd["se"] >= 0
    assert len(fvd["weights_sha256"]) == 64 and fvd["covariance"] == "unbiased (N - 1)"

    # An unconditional model has no frame to copy: its baselines are the distributional ones.
    baselines = fvd["baselines"]
    assert list(baselines) == ["static", "mean_frame", "floor"]
    assert baselines["static"]["video"] == "frame 0 of 2 real clips of the train split, held still"
    for entry in baselines.values():
        assert entry["fvd"] >= 0 and entry["model_beats"] == (fvd["fvd"] < entry["fvd"])
    row = next(line for line in out.splitlines() if line.startswith("fvd "))
    low, high = fvd["ci95"]
    assert row.split() == [
        "fvd",
        f"{fvd['fvd']:.4f}",
        f"[{low:.4f},",
        f"{high:.4f}]",
        *(f"{entry['fvd']:.4f}" for entry in baselines.values()),
        "2",
        "real",
        "/",
        "2",
        "generated",
    ]
    assert out.splitlines()[0] == "step 2, 2 videos from the val split, 12x16x16"
    assert out.splitlines()[1].split() == [
        "metric",
        "model",
        "95%",
        "interval",
        "static",
        "mean_frame",
        "floor",
        "videos",
    ]
    assert "fvd: the model beats" in out
    stats = list((tmp_path / "cache" / "stats").glob("fvd-*.npz"))
    assert len(stats) == 1 and len(list((tmp_path / "cache" / "stats").glob("baselines-fvd-*.json"))) == 1
    stamp = stats[0].stat().st_mtime_ns

    # The second evaluation takes the real statistics and the baselines from the cache and agrees.
    again = _cli("evaluate", run_dir, "--metrics", "fvd", "-n", 2, env=env).output
    assert stats[0].stat().st_mtime_ns == stamp and "baseline floor" not in again
    # the warnings (other weights, small N) come after the table and its verdict, not inside it
    assert again.index("fvd: the model beats") < again.index("warning: fvd: I3D weights differ")
    repeated = json.loads((run_dir / "metrics.json").read_text())["metrics"]["fvd"]
    assert repeated["fvd"] == pytest.approx(fvd["fvd"], rel=1e-9, abs=1e-12) and repeated["baselines"] == baselines

    refused = _cli("evaluate", run_dir, "--metrics", "ssim", code=2).output
    assert "ssim is a paired metric: it needs a conditional generator" in refused and "Traceback" not in refused
    assert (
        "has 4 clips, fewer than the 5 videos"
        in _cli("evaluate", run_dir, "--metrics", "fvd", "-n", 5, env=env, code=2).output
    )


def _still_run(tiny_run, **evaluation):
    """The tiny run of the ``still`` generator, evaluated on 3 clips at every step."""
    return tiny_run(
        2,
        "still.yaml",
        seed=1,
        source={"train_clips": 8, "val_clips": 3, "clips_per_shard": 4},
        model={"generator": "still"},
        train={"batch_size": 2},
        metrics=["ssim", "psnr"],
        evaluation={"every": 1, "videos": 3, "batch_size": 2, **evaluation},
    )


def test_training_evaluates_logs_and_keeps_the_best(still, tmp_path, tiny_run):
    run_dir = tmp_path / "run"
    trained = _cli("run", _still_run(tiny_run, best="psnr"), "-o", run_dir).output
    lines = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [line["step"] for line in lines] == [1, 2]
    assert all(0 < line["ssim"] <= 1 and line["psnr"] > 0 for line in lines)
    assert lines[0]["protocol"]["videos"] == 3
    # beside each value, the baseline under the same protocol, scored once for the whole run
    copy_first = lines[0]["baselines"]["psnr"]["copy_last"]
    assert all(
        {name: line["baselines"][name] for name in ("ssim", "psnr")}
        == {
            "ssim": {"copy_last": pytest.approx(lines[0]["baselines"]["ssim"]["copy_last"])},
            "psnr": {"copy_last": pytest.approx(copy_first)},
        }
        for line in lines
    )
    # the motion statistics and the diversity join every evaluation: the still model copies its frame
    assert all(line["motion"] == 0 and line["diversity"] == 0 for line in lines)
    assert 0 < copy_first < 100 and 0 < lines[0]["baselines"]["ssim"]["copy_last"] < 1
    assert f"step 2: psnr {lines[1]['psnr']:.4f} | copy_last {copy_first:.4f} | the model beats" in trained
    assert (run_dir / "checkpoints" / "best.pt").is_file()
    best = torch.load(run_dir / "checkpoints" / "best.pt", weights_only=True)["step"]
    assert lines[best - 1]["psnr"] == max(line["psnr"] for line in lines)
    assert any(p.name.startswith("events") for p in (run_dir / "tensorboard").iterdir())

    # vpkit evaluate defaults to the run file's metrics; --checkpoint picks the best one
    out = _cli("evaluate", run_dir, "-n", 3, "--checkpoint", run_dir / "checkpoints" / "best.pt").stdout
    document = json.loads((run_dir / "metrics.json").read_text())
    assert set(document["metrics"]) == {"ssim", "psnr", "motion", "diversity"}
    assert document["metrics"]["psnr"]["videos"] == 3
    assert document["step"] == best and document["checkpoint"].endswith("best.pt")
    psnr = document["metrics"]["psnr"]
    assert psnr["psnr"] == pytest.approx(lines[best - 1]["psnr"])
    assert psnr["baselines"]["copy_last"]["psnr"] == pytest.approx(copy_first)
    assert psnr["baselines"]["copy_last"]["model_beats"] == (psnr["psnr"] > copy_first)
    header = ["metric", "mean", "of", "K", "95%", "interval", "best", "of", "K", "copy_last", "static", "mean_frame"]
    assert out.splitlines()[1].split() == [*header, "floor", "videos"]
    low, high = psnr["ci95"]
    best_of_k = psnr["best_of_k"]["value"]
    row = f"psnr {psnr['psnr']:.4f} [{low:.4f}, {high:.4f}] {best_of_k:.4f} {copy_first:.4f} - - - 3"
    assert row in " ".join(out.split())
    assert (
        f"psnr: the model beats {'' if psnr['baselines']['copy_last']['model_beats'] else 'none of '}copy_last" in out
    )
    assert "diversity: L1 0.000 levels between two samples of each context; deterministic: best-of-K = mean-of-K" in out
    assert "static samples 100%: too still" in out


def test_run_file_checks_metrics_against_the_generator(still, tiny_run, write_yaml):
    with pytest.raises(
        ConfigError, match=r"evaluation.best: 'psnx' is not one of the run's metrics \(did you mean 'psnr'\?\)"
    ):
        load_run(_still_run(tiny_run, best="psnx"))
    path = write_yaml("""\
        clip: {frames: 16, size: 32}
        source: synthetic
        model: {generator: videogan, discriminator: videogan}
        metrics: [fvd, lpips]
        """)
    with pytest.raises(
        ConfigError, match=r"run.yaml:4: metrics\[1\].name: lpips is a paired metric: it needs a conditional generator"
    ):
        load_run(path)
    short = write_yaml(
        """\
        clip: {frames: 8, size: 32}
        source: synthetic
        model: {generator: videogan, discriminator: videogan}
        metrics: [fvd]
        """,
        "short.yaml",
    )
    with pytest.raises(ConfigError, match="FVD's I3D needs clips of at least 9 frames, got 8"):
        load_run(short)


def test_resumed_training_keeps_one_metrics_history(still, tmp_path, tiny_run):
    run_dir = tmp_path / "run"
    run_file = _still_run(tiny_run)
    _cli("run", run_file, "-o", run_dir)
    _cli("run", run_file, "-o", run_dir, "--resume", "--set", "train.steps=3")
    steps = [json.loads(line)["step"] for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert steps == [1, 2, 3]


def test_default_metrics_skip_what_the_run_cannot_serve(tiny_run):
    run = load_run(tiny_run(), ["clip.frames=12"])
    metrics, notes = build_metrics(run, None, run.generator.cls)
    assert [m.name for m in metrics] == ["fvd", "motion"]
    assert [n.split(":")[0] for n in notes] == ["skipped lpips", "skipped psnr", "skipped ssim"]
    with pytest.raises(ConfigError, match="--metrics fvd: FVD's I3D needs clips of at least 9 frames, got 4"):
        build_metrics(load_run(tiny_run()), ["fvd"], run.generator.cls)


def test_missing_weights_stop_training_before_it_starts(tmp_path, tiny_run):
    run_dir = tmp_path / "run"
    env = {"VPKIT_I3D_WEIGHTS": str(tmp_path / "absent.pt")}
    out = _cli(
        "run",
        tiny_run(),
        "-o",
        run_dir,
        "--set",
        "clip.frames=12",
        "--set",
        "metrics=[fvd]",
        "--set",
        "evaluation.videos=2",
        env=env,
        code=1,
    ).output
    assert "absent.pt: no I3D weights file there (from $VPKIT_I3D_WEIGHTS)" in out
    assert not (run_dir / "checkpoints").exists()


def test_evaluate_adds_to_metrics_json(still, tmp_path, tiny_run):
    """--metrics psnr after --metrics ssim keeps SSIM; each entry keeps its protocol, step and checkpoint."""
    run_dir = tmp_path / "run"
    _cli("run", _still_run(tiny_run), "-o", run_dir)
    _cli("evaluate", run_dir, "--metrics", "ssim", "-n", 3)
    table = _cli(
        "evaluate", run_dir, "--metrics", "psnr", "-n", 2, "--checkpoint", run_dir / "checkpoints" / "best.pt"
    ).stdout
    assert "psnr" in table and "ssim" not in table  # the table shows this checkpoint's numbers
    document = json.loads((run_dir / "metrics.json").read_text())
    ssim, psnr = document["metrics"]["ssim"], document["metrics"]["psnr"]
    assert ssim["protocol"]["videos"] == 3 and psnr["protocol"]["videos"] == 2
    assert ssim["checkpoint"].endswith("last.pt") and psnr["checkpoint"].endswith("best.pt")
    assert (
        ssim["step"] == 2 and psnr["step"] == torch.load(run_dir / "checkpoints" / "best.pt", weights_only=True)["step"]
    )
    assert document["checkpoint"] == psnr["checkpoint"]
