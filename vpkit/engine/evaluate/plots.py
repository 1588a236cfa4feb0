"""Pictures of an evaluation: ``eval/`` in the run directory, and the same figures in TensorBoard.

- ``<metric>.png`` for each paired metric scored per frame: best-of-K and mean-of-K over the
  predicted frames, each with its 95% band, against the copy-last baseline.
- ``motion.png``: motion energy over time (the step into each frame), the model's against the
  real clips'.

Drawn with matplotlib's object API on its Agg canvas (no pyplot, no display: it works headless).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from vpkit.atomic import write_bytes
from vpkit.engine.run_layout import RunLayout


def figures(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """matplotlib figures by name (``ssim``, ``motion``, ...) for the entries that have curves."""
    drawn = {}
    for name, result in results.items():
        if "best_of_k" in result.get("per_frame", {}):
            drawn[name] = _paired_figure(name, result)
        elif "real_energy" in result.get("per_frame", {}):
            drawn[name] = _motion_figure(result)
    return drawn


def _axes(title: str, ylabel: str):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 3.6), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("frame")
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    return figure, axes


def _band(axes, frames, values, ci95, label, color) -> None:
    axes.plot(frames, values, label=label, color=color)
    axes.fill_between(frames, [low for low, _ in ci95], [high for _, high in ci95], color=color, alpha=0.2)


def _paired_figure(name: str, result: dict[str, Any]):
    curves, k = result["per_frame"], result.get("samples", 1)
    figure, axes = _axes(f"{name} over the predicted frames, K = {k} samples per context", name)
    frames = curves["frames"]
    _band(axes, frames, curves["best_of_k"], curves["best_of_k_ci95"], f"model, best of {k}", "tab:blue")
    _band(axes, frames, curves["mean_of_k"], curves["mean_of_k_ci95"], f"model, mean of {k}", "tab:orange")
    for baseline, entry in result.get("baselines", {}).items():
        if "per_frame" in entry:
            axes.plot(entry["per_frame"]["frames"], entry["per_frame"]["mean"], "--", color="0.3", label=baseline)
    axes.legend(fontsize=8)
    return figure


def _motion_figure(result: dict[str, Any]):
    curves = result["per_frame"]
    figure, axes = _axes(
        f"motion energy: {result['motion']:.2f}x the real clips' ({result['verdict']})", "mean |x[t] - x[t-1]|, 0..255"
    )
    axes.plot(curves["frames"], curves["real_energy"], color="tab:green", label="real clips")
    axes.plot(curves["frames"], curves["energy"], color="tab:blue", label="model")
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=8)
    return figure


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def write_plots(results: dict[str, dict[str, Any]], run_dir: Path, step: int) -> list[Path]:
    """``eval/<name>.png`` for every figure (each written atomically), and the same figures in the
    run's TensorBoard events under ``eval/<name>`` at ``step``, when the run has them."""
    drawn, layout = figures(results), RunLayout(run_dir)
    paths = []
    for name, figure in drawn.items():
        path = layout.evaluation_picture(name)
        write_bytes(path, png(figure))
        paths.append(path)
    events = layout.tensorboard
    if drawn and events.is_dir():
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(str(events))
        try:
            for name, figure in drawn.items():
                writer.add_figure(f"eval/{name}", figure, step, close=False)
        finally:
            writer.close()
    return paths
