"""A model given two context frames (``clip.context: 2``), end to end on the CPU: train a few
steps, evaluate, predict from two images and from a video, and serve it (a real server process)."""

from __future__ import annotations

import json

import httpx
import numpy as np
import pytest
from click.testing import CliRunner
from fixtures.network import vpkit_serving
from fixtures.run_files import write_run_file
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from vpkit_synthetic.render import render_clip

from vpkit import read_video, write_video
from vpkit.commands.cli import cli


def _cli(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def two_frame_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("context2")
    run_file = write_run_file(
        root / "two.yaml",
        root / "cache",
        seed=5,
        clip={"context": 2},
        source={"train_clips": 16, "val_clips": 6},
        model={"generator": {"name": "videogan_future", "background": "input_residual"}},
        evaluation={"videos": 4, "batch_size": 2, "samples": 2},
    )
    _cli("run", run_file, "-o", root / "two")
    return root / "two"


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    """Two PNGs of consecutive rendered frames, and the clip they come from as an MP4."""
    root = tmp_path_factory.mktemp("frames")
    clip = render_clip((1, 2), 6, 16)
    paths = []
    for i in range(2):
        paths.append(root / f"frame{i}.png")
        Image.fromarray(clip[i]).save(paths[-1])
    write_video(root / "clip.mp4", clip, 8)
    return paths, root / "clip.mp4", clip


def test_training_and_evaluation_use_two_context_frames(two_frame_run):
    assert json.loads((two_frame_run / "status.json").read_text())["state"] == "finished"
    out = _cli("evaluate", two_frame_run, "--metrics", "ssim,psnr")
    assert "4 videos from the val split, 4x16x16, 2 context frame(s), 2 samples each" in out
    metrics = json.loads((two_frame_run / "metrics.json").read_text())["metrics"]
    protocol = metrics["psnr"]["protocol"]
    assert (protocol["context"], protocol["samples"], protocol["scored_frames"]) == (2, 2, [2, 3])
    assert metrics["psnr"]["per_frame"]["frames"] == [2, 3] and "motion" in metrics and "diversity" in metrics
    assert {p.name for p in (two_frame_run / "eval").iterdir()} == {"psnr.png", "ssim.png", "motion.png"}
    with Image.open(two_frame_run / "eval" / "psnr.png") as picture:
        assert picture.format == "PNG" and picture.size[0] > 300
    events = EventAccumulator(str(two_frame_run / "tensorboard"))
    events.Reload()
    assert {"eval/psnr", "eval/ssim", "eval/motion"} <= set(events.Tags()["images"])


def test_predict_from_two_images_or_a_video(two_frame_run, frames, tmp_path):
    images, video, clip = frames
    out = _cli("predict", two_frame_run, *images, "-o", tmp_path / "from_images.mp4")
    predicted = read_video(out.strip())
    assert predicted.shape == (4, 16, 16, 3)
    # the real context frames stand in front of the prediction (H.264 at 16 pixels changes them a little)
    assert np.abs(predicted[:2].astype(int) - clip[:2]).mean() < 16 < np.abs(clip[:2].astype(int) - 255).mean()
    _cli("predict", two_frame_run, video, "-o", tmp_path / "videos", "--format", "mp4")
    assert read_video(tmp_path / "videos" / "clip.mp4").shape == (4, 16, 16, 3)

    one = _cli("predict", two_frame_run, images[0], "-o", tmp_path / "one.gif", code=1)
    assert "the model takes 2 context frames: give 2 images in order, or a video" in one and "Traceback" not in one
    both = _cli("predict", two_frame_run, images[0], video, "-o", tmp_path / "x", code=1)
    assert "either videos (one prediction each) or images" in both


def test_serve_predicts_from_two_photos_or_a_video(two_frame_run, frames, tmp_path):
    images, video, _ = frames
    with vpkit_serving([str(two_frame_run)], tmp_path / "server.log") as serving:
        with httpx.Client(base_url=serving.url, timeout=60) as client:
            [model] = client.get("/api/models").json()
            assert model["context"] == 2
            url = f"/api/models/{model['name']}/predict"
            photos = [("image", (p.name, p.read_bytes(), "image/png")) for p in images]
            answer = client.post(url, files=photos, params={"seed": 1, "parts": True, "format": "mp4"})
            assert answer.status_code == 200, answer.text
            assert answer.headers["X-Vpkit-Columns"].split(",")[:2] == ["input", "video"]
            (tmp_path / "answer.mp4").write_bytes(answer.content)
            assert read_video(tmp_path / "answer.mp4").shape[0] == 4
            clip = client.post(url, files=[("image", ("clip.mp4", video.read_bytes(), "video/mp4"))])
            assert clip.status_code == 200, clip.text
            one = client.post(url, files=photos[:1])
            assert one.status_code == 400 and "takes 2 context frames" in one.json()["detail"]
