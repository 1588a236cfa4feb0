"""What a training run prints on stderr: a banner, progress, metrics, and where the run is.

On a terminal, progress is a bar redrawn in place. Anywhere else (a batch scheduler's log
file, ``nohup``, CI, ``2> log``) a redrawn bar is one long line of carriage returns, so
progress is one plain line every ``train.log_every`` steps instead: step, losses, clips/s
and the time left.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tqdm import tqdm

from vpkit.config.runfile import Run
from vpkit.data.clips import ClipStore
from vpkit.engine.train.schedule import due

#: Steps timed before the time of the whole run is estimated (the first steps are slow: warm-up).
ESTIMATE_AFTER = 10
#: What the progress line shows of a step's statistics, and under which label.
SHOWN = {"loss_d": "loss_d", "loss_g": "loss_g", "d_real": "D(x)", "d_fake": "D(G(z))"}


def duration(seconds: float) -> str:
    """``42s``, ``3m05s``, ``2h07m``: short and sortable by eye."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def size(count: int) -> str:
    """A byte count as ``812 KB``, ``3.4 MB``, ``1.2 GB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit in ("B", "KB") else f"{count:.1f} {unit}"
        count /= 1024
    return ""  # pragma: no cover


def counted(count: int, thing: str) -> str:
    """``1 step``, ``3 steps``: a count with its noun, singular for one."""
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def parameters(count: int) -> str:
    """A parameter count as ``3.4M`` or ``812K``."""
    return f"{count / 1e6:.1f}M" if count >= 1e6 else f"{count / 1e3:.0f}K"


@dataclass
class Pace:
    """How fast this session's steps go: on average since the end of its first step (for the time
    left, which includes samples, checkpoints and evaluations), and in the steady state (the median
    step, for the estimate of the whole run: warm-up steps and the occasional sample or evaluation
    between them do not count)."""

    start_step: int
    clock: Callable[[], float] = time.perf_counter
    began: float | None = None
    timed_from: int = 0
    last: float | None = None
    durations: list[float] = field(default_factory=list)

    def tick(self, step: int) -> None:
        now = self.clock()
        if self.last is not None:
            self.durations.append(now - self.last)
        self.last = now
        if self.began is None and step - self.start_step >= 1:  # time from the end of the first step
            self.began, self.timed_from = now, step

    def rate(self, step: int) -> float | None:
        if self.began is None or step <= self.timed_from:
            return None
        return (step - self.timed_from) / max(self.clock() - self.began, 1e-9)

    def steady_rate(self) -> float | None:
        return 1 / max(statistics.median(self.durations), 1e-9) if self.durations else None


class Console:
    """The trainer's voice on stderr; it writes nothing else there."""

    def __init__(
        self,
        steps: int,
        start_step: int,
        log_every: int,
        stream: IO[str] | None = None,
        terminal: bool | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.steps, self.log_every = steps, log_every
        self.clock = clock
        self.start_step, self.started = start_step, clock()
        self.pace = Pace(start_step, clock)
        self.estimated = False
        self.bar = (
            tqdm(total=steps, initial=start_step, file=self.stream, desc="train", unit="step", dynamic_ncols=True)
            if self.terminal
            else None
        )

    def say(self, line: str) -> None:
        """One line, above the bar on a terminal."""
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def banner(self, lines: list[str]) -> None:
        """The lines :func:`banner_lines` made, before the first step."""
        for line in lines:
            self.say(line)

    def step(self, step: int, stats: dict[str, float]) -> None:
        """After each training step: the bar, or a plain line every ``log_every`` steps."""
        self.pace.tick(step)
        if not self.estimated and step - self.start_step >= ESTIMATE_AFTER and step < self.steps:
            self.estimated = True
            rate = self.pace.steady_rate()
            if rate:
                self.say(
                    f"estimated time: {duration((self.steps - self.start_step) / rate)} for "
                    f"{counted(self.steps - self.start_step, 'step')} ({rate:.2f} steps/s once warmed up)"
                )
        if self.bar is not None:
            self.bar.update(1)
            losses = {label: f"{stats[key]:.3f}" for label, key in (("d", "loss_d"), ("g", "loss_g")) if key in stats}
            self.bar.set_postfix(**losses, clips_s=f"{stats['clips_per_s']:.1f}")
        elif due(step, self.log_every, self.steps):
            self.say(self.progress_line(step, stats))

    def progress_line(self, step: int, stats: dict[str, float]) -> str:
        shown = "  ".join(f"{label} {stats[key]:.3f}" for key, label in SHOWN.items() if key in stats)
        rate = self.pace.rate(step)
        left = f"eta {duration((self.steps - step) / rate)}" if rate and step < self.steps else ""
        width = len(str(self.steps))
        return "  ".join(
            filter(
                None, [f"step {step:>{width}}/{self.steps}", shown, f"{stats.get('clips_per_s', 0):.1f} clips/s", left]
            )
        )

    def metrics(
        self,
        step: int,
        values: dict[str, float],
        best_by: str | None = None,
        baselines: dict[str, dict[str, float]] | None = None,
        verdicts: dict[str, str] | None = None,
    ) -> None:
        """One line per metric with baselines (their scores and which the model beats), one line
        for the other metrics together. When this checkpoint is the best so far by the metric
        ``best_by`` (the one that picks ``checkpoints/best.pt``), that metric's line says so."""
        baselines, verdicts = baselines or {}, verdicts or {}
        lines, line_of = [], {}
        for name, value in values.items():
            if baselines.get(name):
                scores = ", ".join(f"{baseline} {score:.4f}" for baseline, score in baselines[name].items())
                line_of[name] = len(lines)
                lines.append(f"step {step}: {name} {value:.4f} | {scores} | {verdicts[name]}")
        plain = [name for name in values if not baselines.get(name)]
        if plain:
            line_of.update(dict.fromkeys(plain, len(lines)))
            lines.append(f"step {step}: " + "  ".join(f"{name} {values[name]:.4f}" for name in plain))
        if best_by in line_of:
            lines[line_of[best_by]] += f"  (best {best_by} so far: checkpoints/best.pt)"
        for line in lines:
            self.say(line)

    def finished(self, step: int) -> str:
        """What this session did: ``finished 10 steps in 3s (step 400 to 410)`` for a resumed run."""
        resumed = f" (step {self.start_step} to {step})" if self.start_step else ""
        return f"finished {counted(step - self.start_step, 'step')} in {duration(self.clock() - self.started)}{resumed}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def banner_lines(
    run: Run,
    run_dir: Path,
    device,
    generator,
    discriminator,
    store: ClipStore,
    step: int,
    changes: list[str] = (),
    processes: int = 1,
) -> list[str]:
    """The banner's lines (:meth:`Console.banner` prints them): what a run is about to do, where, on
    what, with which models, clips and schedule."""
    import torch

    train, schedule = run.config.train, run.config.train.schedule
    where = f"resumed at step {step}" if step else "new"
    on = f"{device} ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else str(device)
    count = sum(p.numel() for p in generator.parameters()), sum(p.numel() for p in discriminator.parameters())
    stored = sum(path.stat().st_size for path in Path(store.root).rglob("*") if path.is_file())
    extra = f", one more every {schedule.g_extra_every}" if schedule.g_extra_every else ""
    d_updates = (
        f"{counted(schedule.d_steps, 'D update')} and "
        if train.adversarial
        else "no D updates (train.adversarial is 0), "
    )
    clip = run.clip
    each = f" ({train.batch_size // processes} on each process)" if processes > 1 else ""
    return [
        f"run {run_dir} ({where}), device {on}" + (f", {processes} processes" if processes > 1 else ""),
        f"generator {run.generator.cls.name}: {parameters(count[0])} parameters; "
        f"discriminator {run.discriminator.cls.name}: {parameters(count[1])}",
        f"clips: {len(store.split('train'))} train, {len(store.split('val'))} val, "
        f"{clip.frames}x{clip.size}x{clip.size}; store {store.root} ({size(stored)})",
        f"schedule: {train.steps} steps of {train.batch_size} clips{each}; per step {d_updates}"
        f"{counted(schedule.g_steps, 'G update')}{extra}; samples every {train.sample_every}, checkpoints every "
        f"{train.checkpoint_every} steps",
        f"logging: {', '.join(logger.cls.name for logger in run.loggers) or 'this console only'}",
        *([f"changed since the checkpoint: {'; '.join(changes)}"] if changes else []),
    ]
