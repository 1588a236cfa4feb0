"""How results read on a terminal: the tables of ``vpkit evaluate``, ``score`` and ``compare``."""

from __future__ import annotations

from typing import Any

from vpkit.engine.evaluate.baselines import verdict


def results_table(results: dict[str, dict[str, Any]]) -> list[str]:
    """One row per metric with its 95% interval; with baselines (``vpkit evaluate``), a column for
    each and a line per metric that says which of them the model beats. For K samples per context
    the model's column is mean-of-K and a column beside it best-of-K; then a line on the diversity,
    one on the motion statistics and one on each shuffle check."""
    rows = {name: result for name, result in results.items() if name not in LINES_ONLY}
    baselines = list(dict.fromkeys(b for result in rows.values() for b in result.get("baselines", {})))
    best = any("best_of_k" in result for result in rows.values())
    header = "".join(f" {b:>12}" for b in baselines)
    model = "mean of K" if best else "model" if baselines else "value"
    best_header = f" {'best of K':>12}" if best else ""
    lines = [f"{'metric':<8} {model:>12}  {'95% interval':<25}{best_header}{header}  videos"]
    for name, result in rows.items():
        count = result.get("videos") or f"{result.get('real_videos')} real / {result.get('generated_videos')} generated"
        scores = result.get("baselines", {})
        cells = "".join(f" {scores[b][name]:>12.4f}" if b in scores else f" {'-':>12}" for b in baselines)
        best_cell = ""
        if best:
            best_cell = f" {result['best_of_k']['value']:>12.4f}" if "best_of_k" in result else f" {'-':>12}"
        value = f"{result[name]:>12.4f}" if result[name] is not None else f"{'n/a':>12}"
        spread = interval(result.get("ci95")) or ("n/a" if "n/a" in result else "")
        lines.append(f"{name:<8} {value}  {spread:<25}{best_cell}{cells}  {count}")
    lines += [f"{name}: {verdict(result['baselines'])}" for name, result in rows.items() if result.get("baselines")]
    if "diversity" in results:
        lines.append(diversity_line(results["diversity"]))
    if "motion" in results:
        lines.append(motion_line(results["motion"]))
    lines += [
        f"{name} shuffle check: {result['shuffle_check'][name]:.4f} with the model's frames shuffled in time, "
        f"{result[name]:.4f} without (noise {result['shuffle_check']['noise']:.4f}): {result['shuffle_check']['says']}"
        for name, result in rows.items()
        if "shuffle_check" in result
    ]
    return lines


#: Entries shown as a line of their own rather than as a row.
LINES_ONLY = ("diversity",)


def diversity_line(result: dict[str, Any]) -> str:
    lpips = f"LPIPS {result['lpips']:.4f}, " if "lpips" in result else ""
    line = f"diversity: {lpips}L1 {result['l1']:.3f} levels between two samples of each context"
    return f"{line}; {result['note']}" if "note" in result else line


def motion_line(result: dict[str, Any]) -> str:
    share, real_share = result["moving_share"], result["real_moving_share"]
    share_ratio = f"{share / real_share:.2f}x" if real_share else "-"
    return (
        f"motion: {result['motion']:.2f}x the real clips' energy ({result['energy']:.2f} vs "
        f"{result['real_energy']:.2f} levels per frame), moving share {share_ratio} ({100 * share:.2f}% vs "
        f"{100 * real_share:.2f}%), static samples {100 * result['static_share']:.0f}%: {result['verdict']}"
    )


def warnings(results: dict[str, dict[str, Any]]) -> list[str]:
    """The metrics' warnings (other weights, small N) and why a number is n/a, one line each."""
    return [
        *(f"n/a: {name}: {result['n/a']}" for name, result in results.items() if "n/a" in result),
        *(f"warning: {name}: {result['warning']}" for name, result in results.items() if "warning" in result),
    ]


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
