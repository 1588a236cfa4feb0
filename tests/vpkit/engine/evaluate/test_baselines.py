"""Baselines beside every number: their values on tiny real stores whose answers are known, and
their cache (reused, rebuilt when damaged, a warning when it cannot be written)."""

import json
import re

import numpy as np
import pytest
import torch
from torch import nn

from vpkit import ClipSpec, ClipWriter, Generator, GeneratorOutput, plugins
from vpkit.engine.evaluate.baselines import ReferenceClips, model_beats, outside_interval, verdict
from vpkit.engine.evaluate.evaluator import Evaluator


class FadingGenerator(Generator):
    """A real, if modest, conditional generator: the last context frame, fading to grey over the clip."""

    name = "fading"
    conditional = True

    def __init__(self, clip):
        super().__init__(None, clip)
        self.gain = nn.Parameter(torch.ones(()))

    def sample_latent(self, batch_size, generator=None):
        return torch.randn(batch_size, 1, generator=generator)

    def forward(self, z, condition=None):
        fade = torch.linspace(1, 0, self.clip.frames).view(1, 1, -1, 1, 1)
        return GeneratorOutput(condition[:, :, -1:] * fade * self.gain)


def still_clips(count, clip, seed=0):
    """Clips of random pictures that do not move: every frame is the clip's frame 0."""
    pictures = np.random.default_rng(seed).integers(0, 256, (count, 1, clip.size, clip.size, 3), dtype=np.uint8)
    return np.repeat(pictures, clip.frames, axis=1)


def store_of(root, clip, train, val):
    writer = ClipWriter(root, clip, {"test store": root.name})
    writer.add("train", train, "train")
    writer.add("val", val, "val")
    return writer.finish()


def metric(name, clip, **options):
    cls = plugins.implementation("metric", plugins.registry("metric").get(name))
    return cls(cls.Config(**options), clip)


def evaluate(store, clip, stats, names=("ssim", "psnr"), count=3, **options):
    metrics = [metric(name, clip, **options.get(name, {})) for name in names]
    return Evaluator(metrics, store, "val", count, stats, batch_size=2)(FadingGenerator(clip))


def test_copy_last_frame_scores_perfectly_on_still_clips(tmp_path):
    clip = ClipSpec(4, 16)
    store = store_of(tmp_path / "store", clip, still_clips(5, clip, 1), still_clips(3, clip, 2))
    results = evaluate(store, clip, tmp_path / "stats")
    for name, perfect in (("ssim", 1.0), ("psnr", 100.0)):
        baselines = results[name]["baselines"]
        assert list(baselines) == ["copy_last"]  # a paired metric gets the baseline of prediction only
        assert baselines["copy_last"][name] == pytest.approx(perfect, abs=1e-9)
        assert results[name][name] < perfect and baselines["copy_last"]["model_beats"] is False
        assert (
            baselines["copy_last"]["video"]
            == "each evaluation clip's 1 context frame(s), the last one held to its 4 frames"
        )
        assert baselines["copy_last"]["outside_interval"] is True  # a perfect score is outside any interval below it
        assert verdict(baselines) == "the model beats none of copy_last (outside the 95% interval)"


def test_which_way_is_better_comes_from_the_metric():
    ssim, fvd = (plugins.registry("metric").get(name) for name in ("ssim", "fvd"))
    assert model_beats(ssim, 0.9, 0.8) and not model_beats(ssim, 0.8, 0.9) and not model_beats(ssim, 0.8, 0.8)
    assert model_beats(fvd, 100.0, 200.0) and not model_beats(fvd, 200.0, 100.0)
    entries = {
        "copy_last": {"model_beats": False},
        "mean_frame": {"model_beats": True},
        "floor": {"model_beats": False},
    }
    assert verdict(entries) == "the model beats mean_frame; not copy_last, floor"
    assert verdict({"mean_frame": {"model_beats": True}}) == "the model beats mean_frame"


def test_a_verdict_says_whether_each_baseline_is_inside_the_models_interval():
    assert outside_interval([0.5, 0.7], 0.8) and outside_interval([0.5, 0.7], 0.4)
    assert not outside_interval([0.5, 0.7], 0.7) and outside_interval(None, 0.7) is None
    entries = {
        "copy_last": {"model_beats": True, "outside_interval": False},
        "static": {"model_beats": True, "outside_interval": True},
        "floor": {"model_beats": False, "outside_interval": True},
    }
    assert verdict(entries) == (
        "the model beats copy_last (inside the 95% interval), static (outside the 95% interval); "
        "not floor (outside the 95% interval)"
    )
    entries["copy_last"]["outside_interval"] = True
    assert verdict(entries).startswith("the model beats copy_last, static (outside the 95% interval); not")
    entries = {
        name: {"model_beats": True, "outside_interval": name != "mean_frame"} for name in ("a", "b", "mean_frame")
    }
    assert verdict(entries) == "the model beats a, b (outside the 95% interval), mean_frame (inside the 95% interval)"


def test_reference_clips_spread_over_the_other_split(tmp_path):
    clip = ClipSpec(2, 4)
    train = np.stack([np.full((2, 4, 4, 3), 10 * i, np.uint8) for i in range(10)])
    store = store_of(tmp_path / "store", clip, train, np.zeros((3, 2, 4, 4, 3), np.uint8))
    reference = ReferenceClips.pick(store, "val", 3)
    assert reference.split == "train" and reference.indices.tolist() == [0, 4, 9]
    mean = reference.mean_frame(torch.device("cpu"), batch_size=2)
    assert mean.shape == (3, 4, 4)
    assert torch.allclose(mean, torch.full((3, 4, 4), (0 + 40 + 90) / 3 / 127.5 - 1))
    assert ReferenceClips.pick(store, "train", 3).split == "val"
    assert ReferenceClips.pick(store, "train", 4) == (
        "baselines static, mean_frame, floor left out: they need 4 clips of the val split (as many as are evaluated), "
        "and it holds 3"
    )


def test_too_few_reference_clips_leave_the_distributional_baselines_out_with_a_note(tmp_path, i3d_weights):
    clip = ClipSpec(9, 16)
    store = store_of(tmp_path / "store", clip, still_clips(1, clip), still_clips(2, clip))
    assert Evaluator([metric("ssim", clip)], store, "val", 2, tmp_path / "stats").notes == []  # nothing left out
    fvd = Evaluator([metric("fvd", clip, weights=str(i3d_weights))], store, "val", 2, tmp_path / "stats")
    assert fvd.reference is None and fvd.notes == [
        "baselines static, mean_frame, floor left out: they need 2 clips of the train split "
        "(as many as are evaluated), and it holds 1"
    ]


def test_baselines_are_cached_reused_and_rebuilt_when_damaged(tmp_path, capsys):
    clip = ClipSpec(4, 16)
    store = store_of(tmp_path / "store", clip, still_clips(5, clip, 1), still_clips(3, clip, 2))
    stats = tmp_path / "stats"
    first = evaluate(store, clip, stats)
    files = {path.name.split("-")[1]: path for path in stats.glob("baselines-*.json")}
    assert set(files) == {"ssim", "psnr"}
    stamps = {name: path.stat().st_mtime_ns for name, path in files.items()}

    # a second evaluation, in a fresh evaluator, reads them: nothing scored, nothing written
    # (the baselines' progress bars show on a terminal only, so the files are the evidence)
    second = evaluate(store, clip, stats)
    assert {name: path.stat().st_mtime_ns for name, path in files.items()} == stamps
    assert second["ssim"]["baselines"] == first["ssim"]["baselines"]

    # a damaged file is scored again and rewritten; the intact one is still read
    files["ssim"].write_text('{"key": {"clips"')
    third = evaluate(store, clip, stats)
    err = capsys.readouterr().err
    assert f"{files['ssim']}: damaged statistics cache" in err
    assert third["ssim"]["baselines"] == first["ssim"]["baselines"]
    assert json.loads(files["ssim"].read_text())["values"]["copy_last"] == pytest.approx(1.0, abs=1e-9)
    assert files["psnr"].stat().st_mtime_ns == stamps["psnr"]


def test_an_unwritable_cache_is_a_warning_not_a_failure(tmp_path, capsys):
    clip = ClipSpec(4, 16)
    store = store_of(tmp_path / "store", clip, still_clips(5, clip, 1), still_clips(3, clip, 2))
    blocked = tmp_path / "stats"
    blocked.write_text("a file where the cache directory should be")
    results = evaluate(store, clip, blocked)
    assert results["psnr"]["baselines"]["copy_last"]["psnr"] == pytest.approx(100.0)
    assert f"warning: cannot write the statistics cache {blocked}/baselines-psnr-" in capsys.readouterr().err


def test_fvd_baselines_on_identical_splits_of_still_clips(tmp_path, i3d_weights, capsys):
    """Train and val hold the same still clips, so the floor, static and copy-first videos are the
    evaluation clips themselves (FVD 0), and the constant mean frame is not (FVD > 0)."""
    clip = ClipSpec(9, 16)
    clips = still_clips(2, clip)
    store = store_of(tmp_path / "store", clip, clips, clips)
    stats = tmp_path / "stats"
    options = {"fvd": {"weights": str(i3d_weights)}}
    results = evaluate(store, clip, stats, names=("fvd",), count=2, **options)
    fvd = results["fvd"]
    assert fvd["protocol"]["paired_frames"] == "predicted frames 1..T-1 from 1 real context frame(s) vs the real ones"
    baselines = fvd["baselines"]
    assert list(baselines) == ["copy_last", "static", "mean_frame", "floor"]
    assert (
        baselines["floor"]["video"] == "2 real clips of the train split (not generated: the best to expect at this N)"
    )
    scale = baselines["mean_frame"]["fvd"]
    assert scale > 0 and baselines["mean_frame"]["model_beats"] == (fvd["fvd"] < scale)
    for name in ("copy_last", "static", "floor"):
        assert baselines[name]["fvd"] <= 1e-6 * scale
        assert baselines[name]["model_beats"] is False and fvd["fvd"] > 1e-6 * scale

    # the real statistics, damaged, are rebuilt; the baselines are read from their cache
    real_stats = next(stats.glob("fvd-*.npz"))
    real_stats.write_bytes(b"PK\x03\x04 cut off")
    cached = next(stats.glob("baselines-fvd-*.json"))
    stamp = cached.stat().st_mtime_ns
    capsys.readouterr()
    again = evaluate(store, clip, stats, names=("fvd",), count=2, **options)["fvd"]
    err = capsys.readouterr().err
    assert f"{real_stats}: damaged statistics cache" in err and not re.search(r"baseline \w+:", err)
    assert cached.stat().st_mtime_ns == stamp and again["baselines"] == baselines
    assert again["fvd"] == pytest.approx(fvd["fvd"], rel=1e-9)
    with np.load(real_stats) as rebuilt:
        assert len(rebuilt["features"]) == 2  # the two real videos' I3D features
