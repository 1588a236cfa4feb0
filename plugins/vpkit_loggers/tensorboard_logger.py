"""TensorBoard: scalars, the resolved configuration as hyperparameters, and the sample grids
as animated GIFs (what ``add_video`` writes, without moviepy). ``tensorboard --logdir runs``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpkit import Logger, flatten

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

FOLDER = "tensorboard"


class TensorBoardLogger(Logger):
    """Scalars under `train/` and `metrics/`, the sample grids under `samples`, the configuration under HPARAMS."""

    name = "tensorboard"

    def start(self, run_dir: Path, hyperparameters: dict[str, Any], step: int) -> None:
        from torch.utils.tensorboard import SummaryWriter
        from torch.utils.tensorboard.summary import hparams

        # A resumed run drops the events past its checkpoint, so the curves read as one run.
        self.writer = SummaryWriter(str(Path(run_dir) / FOLDER), purge_step=step + 1 if step else None)
        if not step:
            params = {
                key: value if isinstance(value, (int, float, str, bool)) else str(value)
                for key, value in flatten(hyperparameters).items()
            }
            for summary in hparams(params, {}):
                self.writer.file_writer.add_summary(summary)

    def log_scalars(self, section: str, values: dict[str, float], step: int) -> None:
        for key, value in values.items():
            self.writer.add_scalar(f"{section}/{key}", value, step)

    def log_video(self, name: str, frames: np.ndarray, fps: float, files: list[Path], step: int) -> None:
        self.writer.file_writer.add_summary(gif_summary(name, frames, fps), step)

    def flush(self) -> None:
        self.writer.flush()

    def close(self, status: str) -> None:
        self.writer.close()


def gif_summary(tag: str, frames: np.ndarray, fps: float):
    """A TensorBoard image summary holding an animated GIF of ``frames`` (T, H, W, 3) uint8."""
    from PIL import Image
    from tensorboard.compat.proto.summary_pb2 import Summary

    buffer = io.BytesIO()
    images = [Image.fromarray(f) for f in frames]
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=round(1000 / fps), loop=0)
    image = Summary.Image(
        height=frames.shape[1], width=frames.shape[2], colorspace=3, encoded_image_string=buffer.getvalue()
    )
    return Summary(value=[Summary.Value(tag=tag, image=image)])
