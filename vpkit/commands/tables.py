"""How results read on a terminal: the tables of ``vpkit evaluate``, ``score`` and ``compare``."""

from __future__ import annotations

from typing import Any

from vpkit.engine.evaluate.baselines import verdict


def results_table(results: dict[str, dict[str, Any]]) -> list[str]:
    """One row per metric with its 95% interval; with baselines (``vpkit evaluate``), a column for
    each and a line per metric that says which of them the model beats."""
    baselines = list(dict.fromkeys(b for result in results.values() for b in result.get("baselines", {})))
    header = "".join(f" {b:>12}" for b in baselines)
    lines = [f"{'metric':<8} {'model' if baselines else 'value':>12}  {'95% interval':<25}{header}  videos"]
    for name, result in results.items():
        count = result.get("videos") or f"{result.get('real_videos')} real / {result.get('generated_videos')} generated"
        scores = result.get("baselines", {})
        cells = "".join(f" {scores[b][name]:>12.4f}" if b in scores else f" {'-':>12}" for b in baselines)
        lines.append(f"{name:<8} {result[name]:>12.4f}  {interval(result.get('ci95')):<25}{cells}  {count}")
    lines += [f"{name}: {verdict(result['baselines'])}" for name, result in results.items() if result.get("baselines")]
    return lines


def warnings(results: dict[str, dict[str, Any]]) -> list[str]:
    """The metrics' warnings (other weights, small N), one line each."""
    return [f"warning: {name}: {result['warning']}" for name, result in results.items() if "warning" in result]


def comparison_table(result: dict[str, Any]) -> list[str]:
    """``vpkit compare``'s two files, then one row per metric: both values with their intervals,
    B - A and the verdict; the steps of each row when they differ within a file."""
    steps_vary = result["step_a"] is None or result["step_b"] is None
    lines = []
    for side in "ab":
        step = result[f"step_{side}"]
        lines.append(f"{side.upper()}: {result[side]} ({'steps per metric below' if step is None else f'step {step}'})")
    steps_header = f"  {'steps A/B':>11}" if steps_vary else ""
    lines.append(
        f"{'metric':<8} {'A':>12}  {'95% interval':<25}  {'B':>12}  {'95% interval':<25}  {'B - A':>10}"
        f"{steps_header}  verdict"
    )
    for name, row in result["metrics"].items():
        z = f" (z = {row['z']:.2f})" if "z" in row else ""
        step_pair = f"{row['step_a']}/{row['step_b']}"
        steps = f"  {step_pair:>11}" if steps_vary else ""
        lines.append(
            f"{name:<8} {row['a']:>12.4f}  {interval(row['ci95_a']):<25}  {row['b']:>12.4f}  "
            f"{interval(row['ci95_b']):<25}  {row['difference']:>+10.4f}{steps}  {row['verdict']}{z}"
        )
    return lines


def interval(ci95: list[float] | None) -> str:
    return f"[{ci95[0]:.4f}, {ci95[1]:.4f}]" if ci95 else ""
