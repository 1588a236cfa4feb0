"""The markdown_report logger, driven as the trainer drives a logger."""

import numpy as np
from vpkit_bouncing_digits.report import MarkdownReport

from vpkit import ClipSpec


def test_the_report_shows_settings_losses_evaluations_and_samples(tmp_path):
    sample = tmp_path / "samples" / "step_000010.gif"
    sample.parent.mkdir()
    sample.write_bytes(b"GIF89a")
    report = MarkdownReport(MarkdownReport.Config(), ClipSpec(16, 32))
    report.start(tmp_path, {"train": {"steps": 20, "lr": 2e-4}, "source": {"name": "bouncing_digits"}}, step=0)
    report.log_scalars("train", {"loss_d": 1.25, "loss_g": 0.75}, step=10)
    report.log_scalars("metrics", {"motion_gap": 0.123456}, step=10)
    report.log_video("samples", np.zeros((2, 8, 8, 3), np.uint8), 8.0, [sample, sample.with_suffix(".mp4")], step=10)
    report.close("finished")
    text = (tmp_path / "report.md").read_text()
    assert text.startswith(f"# {tmp_path.name}: step 10\n")
    assert "- loss_d: 1.25" in text and "| 10 | 0.1235 |" in text
    assert "![samples](samples/step_000010.gif)" in text
    assert "| `train.lr` | `0.0002` |" in text and "| `source.name` | `bouncing_digits` |" in text
