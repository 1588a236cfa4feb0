"""The model-agnostic GAN trainer: setup, train, save_checkpoint, cleanup.

The adversarial loss of ``train.objective`` (by default the non-saturating binary cross-entropy
on logits of Vondrick et al. 2016) with an optional R1 penalty, Adam,
the run file's update schedule, and the generator's own regularisation losses added to its
objective, with the trainer objectives of :mod:`vpkit.engine.train.objectives` (a reconstruction loss
for conditional generators). Batches come from :mod:`vpkit.data.batches`; the trainer knows no model or dataset.

With several processes (:mod:`vpkit.engine.distributed`) every rank runs this same loop on its
share of each global batch, and rank 0 alone writes. The clips and the latents of step k do not
depend on the number of processes: the feeder draws the global batch's indices and each rank
gathers its slice, and the latents of the global batch come from a generator seeded by (seed,
step, draw), of which each rank takes its slice. Precision and memory format come from
:mod:`vpkit.engine.precision`.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np
import torch

from vpkit.atomic import WriteError, write_text
from vpkit.config.runfile import Run
from vpkit.data.batches import BatchFeeder
from vpkit.data.prepare import prepare_store
from vpkit.data.spread import spread_over_inputs
from vpkit.engine import distributed
from vpkit.engine.checkpoint import TO_RESUME, load_checkpoint, restore_training_state, save_checkpoint, training_state
from vpkit.engine.generate import with_context
from vpkit.engine.precision import Precision, compiled
from vpkit.engine.run_layout import RunLayout
from vpkit.engine.train import provenance
from vpkit.engine.train.console import Console, banner_lines
from vpkit.engine.train.ema import WeightAverage
from vpkit.engine.train.frozen import frozen
from vpkit.engine.train.grids import labelled_grid, sample_columns
from vpkit.engine.train.objectives import (
    discriminator_loss,
    each_sample,
    generator_adversarial_loss,
    horizon,
    r1_penalty,
    reconstruction_loss,
)
from vpkit.engine.train.resume import check_resume
from vpkit.engine.train.run_loggers import RunLoggers
from vpkit.engine.train.run_state import RUNNING, RunState, outcome
from vpkit.engine.train.schedule import due, updates_at
from vpkit.engine.train.training_evaluation import TrainingEvaluation
from vpkit.errors import ConfigError, VpkitError
from vpkit.video.files import clips_to_tensor, write_video


class Interrupted(VpkitError):
    exit_code = 130


class Trainer:
    """``joined``: the ``(ranks, device)`` of the process group the caller joined
    (:func:`vpkit.engine.distributed.process_group`); without it this process joins the one the
    environment describes (for one process: rank 0 of 1 on ``train.device``)."""

    def __init__(
        self,
        run: Run,
        run_dir: Path,
        resume: bool = False,
        joined: tuple[distributed.Ranks, torch.device] | None = None,
    ):
        self.run = run
        self.settings = run.config.train  # the run file's train: block (a component's options are its config)
        self.run_dir = Path(run_dir)
        self.layout = RunLayout(self.run_dir)
        self.resume = resume
        self.ranks, self.device = joined or distributed.join(self.settings.device, self.settings.rank_timeout)
        self.step = 0
        self._stop_requested = False
        # Built by setup(); None until then, so cleanup() works whenever setup stopped.
        self.train_set = self.val_set = None
        self.feeder: BatchFeeder | None = None
        self.G = self.D = None  # the models; self.g_step and self.d_step run them in training (DDP, compiled)
        self.g_step = self.d_step = self.d_judge = None
        self.precision: Precision | None = None
        self.average: WeightAverage | None = None
        self.opt_g = self.opt_d = None
        self.fixed_z: torch.Tensor | None = None
        self.fixed_real = None
        self.loggers: RunLoggers | None = None
        self.evaluation: TrainingEvaluation | None = None
        self.store = None
        self.console: Console | None = None
        self.changes: list[str] = []  # settings a resumed run changed since its checkpoint
        self.state: RunState | None = None

    # --- setup: data, models, optimisers, and the state of a resumed run
    def setup(self) -> None:
        if self.layout.last_checkpoint.exists() and not self.resume:
            raise ConfigError(
                f"{self.run_dir} already holds a run; pass --resume to continue it, --force to start over, "
                "or -o for a new one"
            )
        if self.resume and not self.layout.last_checkpoint.exists():
            raise ConfigError(f"--resume: no checkpoint at {self.layout.last_checkpoint}")
        share = self.ranks.share(self.settings.batch_size)
        if self.settings.sync_batchnorm and self.ranks.distributed and self.device.type != "cuda":
            raise ConfigError("train.sync_batchnorm needs CUDA; on the CPU BatchNorm statistics stay per process")
        self.precision = Precision(
            self.settings.precision,
            self.device,
            self.settings.channels_last,
            self.settings.tf32,
            scaled=("generator", "discriminator"),
        )
        torch.manual_seed(self.run.config.seed)
        # Rank 0 fills the clip store (a shared cache); the others open it once it is there.
        store = self.store = distributed.main_first(lambda: prepare_store(self.run))
        self.train_set, self.val_set = store.split("train"), store.split("val")
        try:
            self.feeder = BatchFeeder(
                self.train_set, self.settings.batch_size, self.device, self.run.config.seed, share
            )
        except ValueError as exc:
            raise VpkitError(f"{store.root}: {exc}") from None

        self.G = self.precision.prepare(self.run.generator.build(self.run.clip))
        self.D = self.precision.prepare(self.run.discriminator.build(self.run.clip))
        if self.settings.reconstruction.weight and not self.G.conditional:
            raise ConfigError(
                f"train.reconstruction needs a conditional generator; {self.run.generator.cls.name} is unconditional"
            )
        if self.settings.reconstruction.samples > 1 and not self.settings.reconstruction.weight:
            raise ConfigError(
                "train.reconstruction.samples picks the best of several predictions: it needs a weight > 0"
            )
        # fused: one pass over each parameter per step instead of a chain of foreach kernels
        # (1.1x per training step on the CPU, benchmarks/bench_train.py); CPU and CUDA both have it.
        adam = dict(betas=tuple(self.settings.betas), fused=True)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=self.settings.lr, **adam)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=self.settings.lr_d or self.settings.lr, **adam)
        self.average = WeightAverage(self.G, self.settings.ema) if self.settings.ema else None
        self.fixed_z = self.G.sample_latent(
            self.settings.samples, torch.Generator().manual_seed(self.run.config.seed + 1)
        )
        self.fixed_z = self.fixed_z.to(self.device)
        self.fixed_real = self._fixed_real_clips() if self.G.conditional else None
        if self.resume:  # every rank loads the same checkpoint, whatever number of ranks wrote it
            self._load_state(load_checkpoint(self.layout.last_checkpoint, self.device, needs=TO_RESUME))
        # Wrapped after loading: DistributedDataParallel starts every rank from rank 0's weights.
        self.g_step = compiled(
            distributed.wrap(self.G, self.device, self.settings.sync_batchnorm), self.settings.compile
        )
        self.d_step = compiled(
            distributed.wrap(self.D, self.device, self.settings.sync_batchnorm), self.settings.compile
        )
        # The generator's update runs D frozen (see engine/frozen.py), outside DDP: nothing to average.
        self.d_judge = compiled(self.D, self.settings.compile)
        self.evaluation = (
            TrainingEvaluation(self.run, store, self.run_dir, self.step, self.ranks, self.precision)
            if self.run.metrics
            else None
        )
        if not self.ranks.main:
            return
        # Every check has passed: only now does the run directory change, so a refused run or
        # resume leaves it as it was (its config.yaml still describes its checkpoint).
        self._make_run_dir()
        self.loggers = RunLoggers(self.run, self.run_dir, self.step)
        provenance.record(self.run_dir, self.device, self.step, self.ranks.world)
        self.state = RunState(self.run_dir, self.settings.steps)
        self.state.write(RUNNING, self.step)

    def _make_run_dir(self) -> None:
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(self.run_dir, exc, "the run directory") from None
        write_text(self.layout.config, self.run.resolved_yaml())

    def _fixed_real_clips(self) -> torch.Tensor:
        """Real clips whose context frames condition the sample grids (validation clips when there are any),
        spread over the split's videos and over time in each."""
        source = self.val_set if len(self.val_set) else self.train_set
        return torch.as_tensor(source.gather(spread_over_inputs(source, self.settings.samples)))

    # --- train: the loop, one step at a time, with logging, samples and checkpoints on schedule
    def train(self) -> None:
        # Ctrl-C, and the SIGTERM a batch scheduler sends before it kills a job (preemption, time limit)
        previous = {sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        quiet = None if self.ranks.main else open(os.devnull, "w")  # noqa: SIM115 (closed below)
        self.console = Console(self.settings.steps, self.step, self.settings.log_every, stream=quiet)
        self.console.banner(
            banner_lines(
                self.run,
                self.run_dir,
                self.device,
                self.G,
                self.D,
                self.store,
                self.step,
                self.changes,
                self.ranks.world,
            )
        )
        try:
            while self.step < self.settings.steps:
                started = time.perf_counter()
                with distributed.collective(f"training step {self.step + 1}", only_lost_peers=True):
                    stats = self.train_step(self.step + 1)
                self.step += 1
                stats["clips_per_s"] = stats.pop("clips") / max(time.perf_counter() - started, 1e-9)
                self.console.step(self.step, stats)
                # A signal may reach the ranks at different moments: they agree here, once a step,
                # so that all of them stop after the same step. The flag is read once: a signal that
                # lands after this counts at the next step, on every rank alike.
                stop = distributed.any_rank(self._stop_requested, self.device)
                # The state of this step reaches disk before anything after it that can fail (the
                # log on a full disk, samples, a metric): whatever fails, no finished step is lost.
                # The log line goes first, so that a resumed run's log.jsonl lacks no step.
                checkpointed = False  # set before the save: a save that failed is not retried
                try:
                    if due(self.step, self.settings.log_every, self.settings.steps):
                        self._log(stats)
                    checkpoint_due = due(self.step, self.settings.checkpoint_every, self.settings.steps) or stop
                    if (
                        checkpoint_due
                        or due(self.step, self.settings.sample_every, self.settings.steps)
                        or (self.evaluation is not None and self.evaluation.due(self.step))
                    ):
                        self._average_buffers()
                    if checkpoint_due:
                        checkpointed = True
                        self.save_checkpoint()
                    self._samples_and_evaluation()
                except Exception:
                    if not checkpointed:
                        self.save_checkpoint()
                    raise
                # one process also stops for a Ctrl-C that came during samples or evaluation
                if stop or (self._stop_requested and not self.ranks.distributed):
                    if not checkpointed:
                        self.save_checkpoint()
                    if not self.ranks.main:  # rank 0 says it
                        raise distributed.QuietExit(Interrupted.exit_code)
                    raise Interrupted(
                        f"interrupted at step {self.step}; checkpoint saved to {self.layout.last_checkpoint}; "
                        "continue with --resume"
                    )
        finally:
            self.console.close()
            if quiet is not None:
                quiet.close()
            # only the handlers still ours: a rank going down because a peer is gone ignores SIGTERM
            for sig, handler in previous.items():
                if signal.getsignal(sig) == self._request_stop:
                    signal.signal(sig, handler)

    def _samples_and_evaluation(self) -> None:
        """Samples and evaluation, when due, on random-number states of their own: a run resumed
        from the checkpoint saved before them continues exactly as an unbroken one."""
        with torch.random.fork_rng(devices=[self.device] if self.device.type == "cuda" else []):
            if due(self.step, self.settings.sample_every, self.settings.steps) and self.ranks.main:
                self.write_samples()
            due_now = self.evaluation is not None and self.evaluation.due(self.step)
            result = self.evaluation(self.generator, self.step) if due_now else None  # sharded: every rank takes part
        if result is not None and self.ranks.main:
            self.loggers.scalars("metrics", result.values, self.step)
            baselines = result.baseline_scalars()
            if baselines:
                self.loggers.scalars("baselines", baselines, self.step)
            best_by = result.best_metric if result.is_best else None
            self.console.metrics(self.step, result.values, best_by, result.baselines, result.verdicts)
            if result.is_best:
                self.save_checkpoint(self.layout.best_checkpoint)

    def _request_stop(self, signum, frame) -> None:
        """First Ctrl-C (or SIGTERM): finish the current step, checkpoint, stop. Second: stop at once,
        with one process only: with several, the launcher passes a Ctrl-C on as a second signal, and
        a rank that stopped at once would leave the others waiting for it."""
        if self._stop_requested and not self.ranks.distributed:
            raise KeyboardInterrupt
        self._stop_requested = True

    def _latents(self, step: int, draw: int) -> torch.Tensor:
        """This rank's slice of the global batch's latents for a step's ``draw``-th generator pass:
        the same numbers whatever the number of processes, and a pure function of (seed, step, draw)."""
        seed = int(np.random.SeedSequence([self.run.config.seed, step, draw]).generate_state(1, np.uint64)[0])
        z = self.G.sample_latent(self.settings.batch_size, torch.Generator().manual_seed(seed))
        return z[self.ranks.share(self.settings.batch_size)]

    def _predict(self, step: int, draw: int, condition: torch.Tensor | None, real: torch.Tensor):
        """The generator's pass ``draw`` of ``step``: ``train.reconstruction.samples`` predictions of each
        context (sample-major, as :func:`reconstruction_loss` reads them), each from latents of its own
        (or, for a generator that infers its latent, from its posterior over ``real``)."""
        samples = self.settings.reconstruction.samples
        z = torch.cat([self._latents(step, draw * samples + sample) for sample in range(samples)])
        condition = each_sample(condition, samples) if condition is not None else None
        if self.G.infers_latent:
            return self.g_step(z, condition, each_sample(real, samples))
        return self.g_step(z, condition)

    def train_step(self, step: int) -> dict[str, float]:
        """The step's D updates, each on a new batch and generator pass, then its G updates. With
        ``train.adversarial: 0`` nothing reads D: it is neither run nor trained (G's updates are the same)."""
        d_updates, g_updates = updates_at(step, self.settings.schedule)
        adversarial = self.settings.adversarial > 0
        stats, clips, draw = {}, 0, 0
        for _ in range(d_updates):
            real = self.precision.inputs(self.feeder.next())
            clips += real.shape[0] * self.ranks.world
            condition = real[:, :, : self.run.clip.context] if self.G.conditional else None
            with self.precision.autocast():
                output = self._predict(step, draw, condition, real)
            draw += 1
            if adversarial:  # the discriminator sees one prediction per real clip
                stats = self._update_discriminator(real, output.video.detach()[: len(real)])
        for update in range(g_updates):
            if update > 0:  # the first update reuses the videos the discriminator just saw
                with self.precision.autocast():
                    output = self._predict(step, draw, condition, real)
                draw += 1
            stats.update(self._update_generator(step, output, real, adversarial))
        return {**stats, "lr": self.opt_g.param_groups[0]["lr"], "clips": clips}

    def _update_discriminator(self, real: torch.Tensor, fake: torch.Tensor) -> dict[str, float]:
        if self.settings.r1:
            real = real.detach().requires_grad_(True)
        with self.precision.autocast():
            # Two passes before one backward pass: DDP averages the gradients of both at once.
            logits_real, logits_fake = self.d_step(real), self.d_step(fake)
            loss_d = discriminator_loss(self.settings.objective, logits_real, logits_fake)
            if self.settings.r1:
                loss_r1 = r1_penalty(logits_real, real)
                loss_d = loss_d + self.settings.r1 / 2 * loss_r1
        self.opt_d.zero_grad(set_to_none=True)
        self.precision.step(loss_d, self.opt_d, "discriminator")
        stats = {
            "loss_d": loss_d.item(),
            "d_real": torch.sigmoid(logits_real).mean().item(),
            "d_fake": torch.sigmoid(logits_fake).mean().item(),
        }
        return {**stats, "r1": loss_r1.item()} if self.settings.r1 else stats

    def _update_generator(self, step: int, output, real: torch.Tensor, adversarial: bool) -> dict[str, float]:
        with self.precision.autocast():
            losses = dict(output.losses)
            rec = self.settings.reconstruction
            if rec.weight:
                scored = horizon(step, rec.warmup, self.run.clip.context, self.run.clip.frames)
                losses["clip_reconstruction"] = rec.weight * reconstruction_loss(
                    output.video[:, :, :scored],
                    real[:, :, :scored],
                    rec.loss,
                    rec.gradient,
                    rec.samples,
                    rec.scales,
                    rec.block,
                )
            loss_g = sum(losses.values(), torch.zeros((), device=self.device))
            if adversarial:
                with frozen(self.D):
                    loss_adv = generator_adversarial_loss(self.settings.objective, self.d_judge(output.video))
                loss_g = self.settings.adversarial * loss_adv + loss_g
        self.opt_g.zero_grad(set_to_none=True)
        self.precision.step(loss_g, self.opt_g, "generator")
        if self.average:
            self.average.update(self.G)
        stats = {"loss_g": loss_g.item(), **{f"loss_g_{name}": value.item() for name, value in losses.items()}}
        return {**stats, "loss_g_adv": loss_adv.item()} if adversarial else stats

    def _log(self, stats: dict[str, float]) -> None:
        """Rank 0's losses (of its share of the batch) and the clips per second of all ranks."""
        if self.ranks.main:
            self.loggers.scalars("train", stats, self.step)

    def _average_buffers(self) -> None:
        """Equal BatchNorm statistics on every rank, before a checkpoint, samples or evaluation read them."""
        for model in (self.G, self.D, self.average.model if self.average else None):
            if model is not None:
                distributed.average_buffers(model)

    @property
    def generator(self) -> torch.nn.Module:
        """The generator that samples, evaluation and checkpoints' ``generator`` use: the weight average when on."""
        return self.average.model if self.average else self.G

    # --- samples: a fixed batch of latents, in eval mode, so grids are comparable across steps
    @torch.no_grad()
    def write_samples(self) -> Path:
        generator = self.generator
        generator.eval()
        try:
            real = clips_to_tensor(self.fixed_real, self.device) if self.fixed_real is not None else None
            condition = real[:, :, : self.run.clip.context] if real is not None else None
            with self.precision.autocast():
                output = generator(self.fixed_z[: len(real) if real is not None else None], condition)
        finally:
            self.G.train()
        if condition is not None:  # shown as evaluated: the real context frames, then the prediction
            output.video = with_context(output.video.float(), condition)
        grid = labelled_grid(*sample_columns(output, condition, real))
        path = self.layout.sample_grid(self.step)
        files = [
            write_video(path, grid, self.settings.fps),
            write_video(path.with_suffix(".mp4"), grid, self.settings.fps),
        ]
        self.loggers.video("samples", grid, self.settings.fps, files, self.step)
        return path

    # --- checkpoints: everything an exact resume needs
    def save_checkpoint(self, path: Path | None = None) -> Path | None:
        """Rank 0 writes; every rank holds the same state (see :meth:`_average_buffers`)."""
        if not self.ranks.main:
            return None
        state = training_state(self)  # the schema: vpkit/engine/checkpoint.py
        self.loggers.flush()
        saved = save_checkpoint(path or self.layout.last_checkpoint, state)
        self.state.write(RUNNING, self.step)
        return saved

    def _load_state(self, state: dict) -> None:
        self.changes = check_resume(state, self.run, self.store.fingerprint, self.run_dir)
        restore_training_state(self, state, self.layout.last_checkpoint)

    def cleanup(self, error: BaseException | None = None) -> None:
        """Close what setup opened, and record how training ended (``error``: what stopped it).

        A write that fails here (the full disk that stopped the run fills status.json too) does
        not hide ``error``: the user reads what stopped the run, not what failed after it.
        """
        ending = outcome(error)
        self.g_step = self.d_step = self.d_judge = None  # DDP's reducers go before the process group they use
        try:
            if self.loggers is not None:
                self.loggers.close(ending)
            if self.state is not None:
                self.state.stopped(self.step, ending, error)
        except VpkitError:
            if error is None:
                raise


def train_run(
    run: Run, run_dir: Path, resume: bool = False, joined: tuple[distributed.Ranks, torch.device] | None = None
) -> Trainer:
    """Set up, train and clean up; ``joined`` as for :class:`Trainer`."""
    trainer = Trainer(run, run_dir, resume, joined)
    error = None
    try:
        trainer.setup()
        trainer.train()
    except distributed.RankLost as exc:  # this rank's own news: every rank says it
        error = exc
        raise
    except VpkitError as exc:
        error = exc
        if not trainer.ranks.main:  # the ranks meet the same problem; rank 0 says it once
            raise distributed.QuietExit(exc.exit_code) from None
        raise
    except BaseException as exc:
        error = exc
        raise
    finally:
        trainer.cleanup(error)
    return trainer
