"""Trained models that plugins ship: ``vpkit export`` makes one from a run, a plugin registers it
with its SHA-256, and ``vpkit models``, ``vpkit predict --model`` and ``vpkit serve --model`` use it;
a damaged checkpoint or an unknown name is a short error. Also the model vpkit itself ships."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import numpy as np
import pytest
import torch
from click.testing import CliRunner
from fixtures.network import vpkit_serving
from PIL import Image
from vpkit_synthetic.render import render_clip

from vpkit import ShippedModel, hookimpl, read_video
from vpkit.commands.cli import cli
from vpkit.weights.download import sha256_of

BUNDLED = "future_two_context_long"


def _cli(*args, code=0) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


class ShipsModels:
    def __init__(self, *models: ShippedModel):
        self.models = models

    @hookimpl
    def register_models(self, register):
        for model in self.models:
            register(model)


@pytest.fixture
def exported(future_run, tmp_path) -> tuple[Path, str]:
    folder = tmp_path / "models" / "tiny_future"
    sha = _cli("export", future_run, folder).strip()
    return folder, sha


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "photo.png"
    Image.fromarray(render_clip((1, 2), 1, 24)[0]).save(path)
    return path


def test_export_keeps_the_weights_and_drops_the_training_state(future_run, exported):
    folder, sha = exported
    assert re.fullmatch(r"[0-9a-f]{64}", sha) and sha == sha256_of(folder / "checkpoints" / "last.pt")
    assert (folder / "config.yaml").read_text() == (future_run / "config.yaml").read_text()
    state = torch.load(folder / "checkpoints" / "last.pt", weights_only=True)
    full = torch.load(future_run / "checkpoints" / "last.pt", weights_only=True)
    assert {"optimizers", "rng", "config"} <= full.keys() and not {"optimizers", "rng", "config"} & state.keys()
    assert state["step"] == full["step"]
    assert all(torch.equal(state["generator"][k], v) for k, v in full["generator"].items())


def test_export_refuses_an_existing_folder(future_run, exported):
    folder, _ = exported
    before = sha256_of(folder / "checkpoints" / "last.pt")
    assert "already exists" in _cli("export", future_run, folder, code=2)
    assert sha256_of(folder / "checkpoints" / "last.pt") == before


def test_a_registered_model_is_listed_and_predicts(register_plugin, exported, photo, tmp_path):
    folder, sha = exported
    register_plugin(ShipsModels(ShippedModel("tiny_future", folder, sha, "A tiny test model.")), "ships-tiny")
    assert re.search(r"^tiny_future  \(ships-tiny\)  A tiny test model\.$", _cli("models"), flags=re.M)
    _cli("predict", "--model", "tiny_future", photo, "-o", tmp_path / "future.mp4")  # a GIF merges still frames
    assert read_video(tmp_path / "future.mp4").shape[:3] == (4, 16, 16)


def test_an_unknown_model_name_says_which_there_are(register_plugin, exported, photo):
    folder, sha = exported
    register_plugin(ShipsModels(ShippedModel("tiny_future", folder, sha)), "ships-tiny")
    output = _cli("predict", "--model", "tiny_futur", photo, code=2)
    assert "no shipped model 'tiny_futur'" in output and "did you mean 'tiny_future'" in output


def test_a_damaged_checkpoint_is_refused_before_it_is_read(register_plugin, exported, photo, tmp_path):
    folder, sha = exported
    register_plugin(ShipsModels(ShippedModel("tiny_future", folder, sha)), "ships-tiny")
    checkpoint = folder / "checkpoints" / "last.pt"
    checkpoint.write_bytes(checkpoint.read_bytes()[:-10] + b"0123456789")
    output = _cli("predict", "--model", "tiny_future", photo, "-o", tmp_path / "future.gif", code=1)
    assert (
        "does not have the SHA-256 its plugin pins" in output
        and "reinstall the package of plugin 'ships-tiny'" in output
    )
    assert not (tmp_path / "future.gif").exists()
    checkpoint.unlink()
    assert "is missing" in _cli("predict", "--model", "tiny_future", photo, code=1)


def test_two_plugins_shipping_one_name_is_an_error(register_plugin, exported, photo):
    folder, sha = exported
    register_plugin(ShipsModels(ShippedModel("tiny_future", folder, sha)), "ships-a")
    register_plugin(ShipsModels(ShippedModel("tiny_future", folder, sha)), "ships-b")
    output = _cli("models", code=1)
    assert "model 'tiny_future' is shipped by both 'ships-a' and 'ships-b'" in output


def test_predict_without_images_or_model_is_a_usage_error(future_run):
    assert "Missing argument 'IMAGES...'" in _cli("predict", future_run, code=2)
    assert "Missing argument 'RUN_DIRS...'" in _cli("serve", code=2)


def test_vpkit_ships_a_two_context_model_that_moves_players(tmp_path):
    """The bundled model, straight after install: listed, its pin matching, predicting from two
    rendered frames a future in which the players travel (the frames change, as the real ones do)."""
    assert BUNDLED in _cli("models")
    clip = render_clip((3, 7), 16, 32)
    frames = []
    for i in range(2):
        frames.append(tmp_path / f"frame{i}.png")
        Image.fromarray(clip[i]).save(frames[-1])
    _cli("predict", "--model", BUNDLED, *frames, "-o", tmp_path / "future.gif", "--device", "cpu")
    video = read_video(tmp_path / "future.gif").astype(np.float32)  # lossless, unlike an MP4
    assert video.shape[1:] == (32, 32, 3)
    predicted_change = np.abs(video[-1] - video[1]).mean()  # the second context frame, as written
    real_change = np.abs(clip[-1].astype(np.float32) - clip[1]).mean()
    assert predicted_change > 0.3 * real_change


def test_serve_offers_a_shipped_model_by_name(tmp_path):
    with vpkit_serving(["--model", BUNDLED], tmp_path / "server.log") as serving:
        [model] = httpx.get(f"{serving.url}/api/models", timeout=60).json()
    assert (model["name"], model["context"], model["kind"]) == (BUNDLED, 2, "conditional")
