"""Every bundled logger writes its real files during a real (tiny) run, and a resumed run
continues them: TensorBoard events, log.jsonl, CSV, an MLflow file store read back with
mlflow's own client, and an offline Weights & Biases run (no account, no network)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.run_files import write_run_file

from vpkit.commands.cli import cli

#: The tiny run with every bundled logger.
LOGGED = {
    "seed": 4,
    "source": {"train_clips": 8, "val_clips": 2},
    "train": {"sample_every": 2, "checkpoint_every": 2},
    "logging": [
        "tensorboard",
        "jsonl",
        "csv",
        {"name": "mlflow", "experiment": "tiny"},
        {"name": "wandb", "project": "tiny"},
    ],
}


def vpkit(*args, code=0) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A run with every bundled logger, stopped after 2 of its 3 steps, then resumed."""
    pytest.importorskip("mlflow")
    pytest.importorskip("wandb")
    root = tmp_path_factory.mktemp("logged")
    path = write_run_file(root / "tiny.yaml", root / "cache", **LOGGED)
    vpkit("run", path, "-o", root / "run", "--set", "train.steps=2")
    vpkit("run", path, "-o", root / "run", "--resume")
    return root / "run"


def test_tensorboard_scalars_hyperparameters_and_samples(run_dir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(run_dir / "tensorboard"), size_guidance={"scalars": 0, "images": 0})
    events.Reload()
    assert [e.step for e in events.Scalars("train/loss_d")] == [1, 2, 3]
    assert [e.step for e in events.Images("samples")] == [2, 3]
    assert events.Images("samples")[0].encoded_image_string[:6] == b"GIF89a"
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData

    start = HParamsPluginData.FromString(events.PluginTagToContent("hparams")["_hparams_/session_start_info"])
    hparams = start.session_start_info.hparams
    assert hparams["train.steps"].number_value == 2 and hparams["model.generator.name"].string_value == "videogan"


def test_jsonl_and_csv_hold_each_step_once(run_dir):
    jsonl = [json.loads(line) for line in (run_dir / "log.jsonl").read_text().splitlines()]
    assert [row["step"] for row in jsonl] == [1, 2, 3]
    with open(run_dir / "train.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [int(row["step"]) for row in rows] == [1, 2, 3]
    assert [float(row["loss_d"]) for row in rows] == pytest.approx([row["loss_d"] for row in jsonl])
    assert {"loss_g", "d_real", "d_fake", "lr", "clips_per_s", "loss_g_mask_l1"} <= rows[0].keys()


def test_mlflow_file_store_read_back_with_mlflow(run_dir):
    from mlflow.tracking import MlflowClient

    state = json.loads((run_dir / "mlflow.json").read_text())
    assert state["tracking_uri"] == (run_dir / "mlruns").resolve().as_uri()
    client = MlflowClient(tracking_uri=state["tracking_uri"])
    run = client.get_run(state["run_id"])  # one MLflow run, continued by the resume
    assert run.info.status == "FINISHED" and run.info.run_name == "run"
    assert client.get_experiment(run.info.experiment_id).name == "tiny"
    assert run.data.params["train.batch_size"] == "4" and run.data.params["model.generator.name"] == "videogan"
    assert [m.step for m in client.get_metric_history(run.info.run_id, "train/loss_d")] == [1, 2, 3]
    samples = {Path(a.path).name for a in client.list_artifacts(run.info.run_id, "samples")}
    assert samples == {"step_000002.gif", "step_000002.mp4", "step_000003.gif", "step_000003.mp4"}


def test_wandb_offline_run_files(run_dir):
    state = json.loads((run_dir / "wandb.json").read_text())
    assert state["mode"] == "offline" and state["project"] == "tiny"
    sessions = sorted((run_dir / "wandb").glob("offline-run-*"))
    assert len(sessions) == 2 and all(
        p.name.endswith(state["id"]) for p in sessions
    )  # the resume continues the W&B run
    records = b"".join(p.read_bytes() for p in (run_dir / "wandb").glob(f"offline-run-*-{state['id']}/run-*.wandb"))
    for key in (b"train/loss_d", b"train/clips_per_s", b"model", b"batch_size"):
        assert key in records, key
    videos = sorted(p.name for p in (run_dir / "wandb").glob("offline-run-*/files/media/videos/*.gif"))
    assert len(videos) == 2 and all(name.startswith("samples_") for name in videos)


def test_no_loggers_and_an_unknown_one(tiny_run, tmp_path):
    run_file = tiny_run(**LOGGED)
    vpkit("run", run_file, "-o", tmp_path / "quiet", "--set", "logging=[]", "--set", "train.steps=1")
    assert not (tmp_path / "quiet" / "tensorboard").exists() and not (tmp_path / "quiet" / "log.jsonl").exists()
    out = vpkit("validate", run_file, "--set", "logging=[tensorbord]", code=2)
    assert "--set logging: unknown logger 'tensorbord' (did you mean 'tensorboard'?)" in out


def test_a_logger_that_cannot_start_stops_the_run_before_training(tiny_run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    run_file = tiny_run(**LOGGED)
    uri = (blocker / "mlruns").as_uri()
    out = vpkit(
        "run", run_file, "-o", tmp_path / "run", "--set", f"logging=[{{name: mlflow, tracking_uri: '{uri}'}}]", code=1
    )
    assert "mlflow logger: cannot start a run at" in out and "Traceback" not in out
    assert not (tmp_path / "run" / "checkpoints").exists()
