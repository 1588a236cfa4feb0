"""``vpkit score``: videos made elsewhere, as files or folders paired by name."""

import json

import numpy as np
from click.testing import CliRunner

from vpkit import write_video
from vpkit.commands.cli import cli
from vpkit.engine.evaluate.intervals import MIN_VIDEOS


def _clip(seed, frames=6, size=32):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (1, size // 4, size // 4, 3))
    return np.repeat(np.repeat(base, 4, 1), 4, 2).repeat(frames, 0).astype(np.uint8)  # blocky, codec-friendly


def _score(*args, code=0):
    result = CliRunner().invoke(cli, ["score", *map(str, args)])
    assert result.exit_code == code, result.output
    return result


def test_folders_are_paired_by_name_and_json_goes_to_stdout(tmp_path):
    for name, seed in (("a.mp4", 0), ("b.mp4", 1)):
        clip = _clip(seed)
        write_video(tmp_path / "real" / name, clip)
        noisy = clip.astype(int) + np.random.default_rng(seed + 10).integers(-20, 21, clip.shape)
        write_video(tmp_path / "fake" / name, np.clip(noisy, 0, 255).astype(np.uint8)[:4])  # shorter: 4 frames
    out = _score(tmp_path / "real", tmp_path / "fake", "--metrics", "ssim,psnr", "--json").stdout
    scores = json.loads(out)
    assert set(scores) == {"ssim", "psnr"}
    assert 0 < scores["ssim"] < 1 and 10 < scores["psnr"] < 100


def test_identical_files(tmp_path):
    write_video(tmp_path / "x.gif", _clip(3))
    out = _score(tmp_path / "x.gif", tmp_path / "x.gif", "--metrics", "ssim,psnr", "--json").stdout
    assert json.loads(out) == {"ssim": 1.0, "psnr": 100.0}


def test_unpaired_names_and_sizes_are_errors(tmp_path):
    write_video(tmp_path / "real" / "a.mp4", _clip(0))
    write_video(tmp_path / "real" / "b.mp4", _clip(1))
    write_video(tmp_path / "fake" / "a.mp4", _clip(0))
    write_video(tmp_path / "fake" / "c.mp4", _clip(1))
    out = _score(tmp_path / "real", tmp_path / "fake", "--metrics", "ssim", code=1).output
    assert "pair files by name; 2 have no counterpart: b.mp4, c.mp4" in out and "Traceback" not in out
    write_video(tmp_path / "small.mp4", _clip(0, size=48))
    out = _score(tmp_path / "real" / "a.mp4", tmp_path / "small.mp4", "--metrics", "psnr", code=1).output
    assert "same size" in out
    assert "no such file or folder" in _score(tmp_path / "nope", tmp_path / "real", code=2).output


def test_unreadable_video_is_a_short_error(tmp_path):
    (tmp_path / "bad.mp4").write_bytes(b"not a video")
    out = _score(tmp_path / "bad.mp4", tmp_path / "bad.mp4", "--metrics", "ssim", code=1).output
    assert "bad.mp4: cannot decode video" in out and "Traceback" not in out


def test_every_metric_is_ready_before_any_video_is_scored(tmp_path, monkeypatch):
    """LPIPS without its backbone weights (and no way to download them) fails before SSIM starts:
    here SSIM would have failed on its first pair, so its error would show if it had run first."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("VPKIT_WEIGHT_PACKAGES", raising=False)
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing may leave this machine
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    write_video(tmp_path / "a.mp4", _clip(0))
    write_video(tmp_path / "b.mp4", _clip(0, size=48))
    out = _score(tmp_path / "a.mp4", tmp_path / "b.mp4", "--metrics", "ssim,lpips", code=1).output
    assert "cannot get the LPIPS alex weights" in out and "same size" not in out


def _folders(tmp_path, count, frames=6):
    for index in range(count):
        clip = _clip(index, frames)
        write_video(tmp_path / "real" / f"{index}.mp4", clip)
        noisy = clip.astype(int) + np.random.default_rng(index + 10).integers(-20, 21, clip.shape)
        write_video(tmp_path / "fake" / f"{index}.mp4", np.clip(noisy, 0, 255).astype(np.uint8))
    return tmp_path / "real", tmp_path / "fake"


def test_below_a_sensible_n_an_interval_is_na_with_the_reason(tmp_path):
    few = _score(*_folders(tmp_path / "few", MIN_VIDEOS - 1), "--metrics", "ssim")
    row = next(line for line in few.stdout.splitlines() if line.startswith("ssim "))
    assert row.split()[2] == "n/a" and "[" not in row  # the value stands, its interval does not
    assert f"n/a: ssim: no 95% interval from {MIN_VIDEOS - 1} videos; it needs at least {MIN_VIDEOS}" in few.stderr
    enough = _score(*_folders(tmp_path / "enough", MIN_VIDEOS), "--metrics", "ssim")
    row = next(line for line in enough.stdout.splitlines() if line.startswith("ssim "))
    assert "[" in row and "n/a" not in enough.output


def test_no_fvd_from_two_videos(tmp_path, monkeypatch, i3d_weights):
    monkeypatch.setenv("VPKIT_I3D_WEIGHTS", str(i3d_weights))
    result = _score(*_folders(tmp_path, 2, frames=10), "--metrics", "fvd,psnr", "--json")  # I3D: 9 frames or more
    scores = json.loads(result.stdout)
    assert scores["fvd"] is None and scores["psnr"] > 10
    assert f"n/a: fvd: no fvd from 2 videos per set; it needs at least {MIN_VIDEOS}" in result.stderr
