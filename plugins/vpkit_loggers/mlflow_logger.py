"""MLflow: parameters, metrics and the sample videos of a run, by default in a file store
under the run directory (``mlflow ui --backend-store-uri runs/quickstart/mlruns``).

MLflow keeps the file store in maintenance mode and refuses it unless
``MLFLOW_ALLOW_FILE_STORE`` is set; this logger sets it (when unset) for a file store, the
default one included, which needs no server and no database. A resumed run continues the same MLflow run, whose id
is kept in ``mlflow.json``; MLflow cannot drop values, so steps logged past the checkpoint
before an interruption stay beside the new ones.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from vpkit import Logger, Options, VpkitError, flatten, write_json
from vpkit_loggers.state import read_state

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

STATE = "mlflow.json"
#: MLflow takes at most 100 parameters per call, each value at most 6000 characters.
PARAMS_PER_CALL, PARAM_CHARACTERS = 100, 6000


class MlflowLogger(Logger):
    """Parameters (the resolved configuration), metrics and sample videos to MLflow."""

    name = "mlflow"

    class Config(Options):
        tracking_uri: str | None = Field(None, description="Where to log; default a file store in <run dir>/mlruns.")
        experiment: str = Field("vpkit", min_length=1, description="MLflow experiment the run belongs to.")
        run_name: str | None = Field(None, description="Name of the MLflow run; default the run directory's name.")
        videos: bool = Field(True, description="Log the sample grids (GIF and MP4) as artifacts.")

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        from mlflow.entities import Param
        from mlflow.tracking import MlflowClient

        run_dir = Path(run_dir)
        uri = self.config.tracking_uri or (run_dir / "mlruns").resolve().as_uri()
        if "://" not in uri or uri.startswith("file:"):
            os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")  # a file store is what was asked for
        previous = read_state(run_dir / STATE) if step else {}
        try:
            self.client = MlflowClient(tracking_uri=uri)
            if previous.get("tracking_uri") == uri and previous.get("run_id"):
                self.run_id = previous["run_id"]
                self.client.update_run(self.run_id, status="RUNNING")
                return
            experiment = self.client.get_experiment_by_name(self.config.experiment)
            experiment_id = (
                experiment.experiment_id if experiment else self.client.create_experiment(self.config.experiment)
            )
            run = self.client.create_run(experiment_id, run_name=self.config.run_name or run_dir.name)
        except Exception as exc:  # an unreachable server or an unwritable store: say so before training
            raise VpkitError(f"mlflow logger: cannot start a run at {uri}: {str(exc).splitlines()[0]}") from None
        self.run_id = run.info.run_id
        write_json(run_dir / STATE, {"tracking_uri": uri, "run_id": self.run_id, "experiment": self.config.experiment})
        params = [Param(key, str(value)[:PARAM_CHARACTERS]) for key, value in flatten(hyperparameters).items()]
        for start in range(0, len(params), PARAMS_PER_CALL):
            self.client.log_batch(self.run_id, params=params[start : start + PARAMS_PER_CALL])

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        from mlflow.entities import Metric

        stamp = int(time.time() * 1000)
        metrics = [Metric(f"{section}/{key}", float(value), stamp, step) for key, value in values.items()]
        self.client.log_batch(self.run_id, metrics=metrics)

    def log_video(self, name: str, frames: np.ndarray, fps: float, files: list[Path], step: int) -> None:
        if self.config.videos:
            for path in files:
                self.client.log_artifact(self.run_id, str(path), artifact_path=name)

    def close(self, status: str) -> None:
        self.client.set_terminated(
            self.run_id, status={"finished": "FINISHED", "interrupted": "KILLED"}.get(status, "FAILED")
        )
