"""Several processes, one run: the process group torchrun describes, and the rank helpers the
trainer and evaluation use.

``torchrun`` (or ``vpkit run --nproc-per-node``, which starts the same launcher through
:func:`launch`) sets ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` in each process it starts;
:func:`join` reads them and joins the group: NCCL with one GPU per local rank on CUDA, gloo
on the CPU. Without them a process is rank 0 of 1, and every helper here does nothing, so the
trainer has no branch for the single-process case.

Every collective has a timeout (``train.rank_timeout``): a process whose peer died gets
:class:`RankLost`, a short message, instead of waiting forever.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import torch
import torch.distributed as dist
from torch import nn

from vpkit.devices import pick_device
from vpkit.errors import ConfigError, VpkitError, reason_of

T = TypeVar("T")


class RankLost(VpkitError):
    """Another process of the run stopped, or stopped answering within the timeout."""


class QuietExit(VpkitError):
    """A failure rank 0 has already reported: the other ranks exit with its code, silently."""

    def __init__(self, exit_code: int):
        super().__init__("")
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        pass


@dataclass(frozen=True)
class Ranks:
    """Where this process stands in the run: its rank, the number of processes, its rank on this machine."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        """Rank 0: the one process that writes (checkpoints, samples, logs, the run directory)."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world > 1

    def share(self, total: int, what: str = "train.batch_size") -> slice:
        """This rank's contiguous share of ``total`` items; ``total`` must divide evenly."""
        if total % self.world:
            raise ConfigError(
                f"{what} is {total}, which {self.world} processes cannot share evenly; "
                f"make it a multiple of {self.world}"
            )
        each = total // self.world
        return slice(self.rank * each, (self.rank + 1) * each)

    def blocks(self, count: int) -> range:
        """This rank's contiguous run of ``count`` blocks (batches), the first ranks taking one more
        when they do not divide: in rank order the blocks are in their original order."""
        each, extra = divmod(count, self.world)
        start = self.rank * each + min(self.rank, extra)
        return range(start, start + each + (self.rank < extra))


def from_environment() -> Ranks:
    """The ranks torchrun set in the environment; rank 0 of 1 without it."""
    try:
        return Ranks(
            int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("LOCAL_RANK", 0))
        )
    except ValueError as exc:
        raise ConfigError(f"RANK, WORLD_SIZE or LOCAL_RANK in the environment is not a number ({exc})") from None


def current() -> Ranks:
    """This process's ranks once it has joined a group (see :func:`join`); rank 0 of 1 otherwise."""
    return from_environment() if dist.is_available() and dist.is_initialized() else Ranks()


def join(device_name: str, timeout_s: float) -> tuple[Ranks, torch.device]:
    """Join the process group torchrun described (a no-op for one process) and pick this rank's device.

    On CUDA each process takes the GPU of its local rank, so ``train.device`` may say ``auto``
    or ``cuda`` but not one ``cuda:N`` for all of them.
    """
    ranks = from_environment()
    if not ranks.distributed:
        return ranks, pick_device(device_name)
    if device_name.startswith("cuda:"):
        raise ConfigError(
            f"train.device {device_name!r} names one GPU, but with {ranks.world} processes each takes "
            "the GPU of its local rank; use auto or cuda"
        )
    device = pick_device("cuda" if device_name in ("auto", "cuda") and torch.cuda.is_available() else device_name)
    if device.type == "cuda":
        device = torch.device("cuda", ranks.local_rank)
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        backend = "nccl" if device.type == "cuda" else "gloo"
        try:
            dist.init_process_group(
                backend, timeout=timedelta(seconds=timeout_s), device_id=device if device.type == "cuda" else None
            )
        except (RuntimeError, ValueError) as exc:
            raise RankLost(
                f"rank {ranks.rank}: cannot join the other {ranks.world - 1} processes ({reason_of(exc)})"
            ) from None
    return ranks, device


def leave() -> None:
    """Leave the process group, if this process joined one."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


@contextmanager
def process_group(device_name: str, timeout_s: float):
    """``(ranks, device)`` of this process, in the process group for the length of the block."""
    joined = join(device_name, timeout_s)
    try:
        yield joined
        if joined[0].distributed:  # no rank tears the group down while another still uses it
            with collective("finishing"):
                dist.barrier()
    finally:
        leave()


#: How the backends word a peer that is gone or silent, when they raise a plain RuntimeError
#: (DDP's gradient all-reduce inside a backward pass does).
LOST_PEER = ("gloo", "nccl", "connection closed", "connection reset", "timed out", "timeout")


@contextmanager
def collective(what: str, only_lost_peers: bool = False):
    """Turn a collective that failed (a peer died, or the timeout passed) into a short message.
    ``only_lost_peers``: around code that may fail for other reasons (a training step), convert
    only errors that say a peer is gone, and let the others through as they are."""
    try:
        yield
    except (RuntimeError, dist.DistError) as exc:
        text = str(exc).lower()
        if only_lost_peers and not isinstance(exc, dist.DistError) and not any(marker in text for marker in LOST_PEER):
            raise
        ranks = current()
        reason = reason_of(
            RuntimeError(re.sub(r"^\[[^\]]*\]\s*", "", str(exc).strip()))
        )  # without the backend's source line
        deaf_to_the_launcher()
        raise RankLost(
            f"rank {ranks.rank}: another process of this run stopped or stopped answering while {what} "
            f"({reason}); this one stops too"
        ) from None


def deaf_to_the_launcher() -> None:
    """Ignore SIGTERM from now on, in a rank that is stopping because a peer is gone.

    The launcher sends SIGTERM to every rank still running once one has died; with the default
    action it would kill this rank while it unwinds, before it has said why it stops. It stops
    anyway, and the launcher waits for it (and kills it 30 seconds later if it does not).
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def any_rank(flag: bool, device: torch.device) -> bool:
    """True on every rank when ``flag`` is true on any: all ranks stop at the same step."""
    if not current().distributed:
        return flag
    value = torch.tensor([float(flag)], device=device)
    with collective("agreeing whether to stop"):
        dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item())


def broadcast(value: Any = None) -> Any:
    """Rank 0's ``value``, on every rank."""
    if not current().distributed:
        return value
    box = [value]
    with collective("receiving rank 0's results"):
        dist.broadcast_object_list(box, src=0)
    return box[0]


def gather(value: Any) -> list[Any]:
    """Every rank's ``value``, in rank order, on every rank."""
    ranks = current()
    if not ranks.distributed:
        return [value]
    found: list[Any] = [None] * ranks.world
    with collective("gathering results"):
        dist.all_gather_object(found, value)
    return found


def main_first(work: Callable[[], T]) -> T:
    """``work()`` on rank 0, then on the others once it has succeeded there: for work that fills a
    shared cache (clip stores, weights), which the other ranks then only read. When it fails on
    rank 0, rank 0 reports it and the others exit with its code without repeating it."""
    if not current().distributed:
        return work()
    if current().main:
        return _announced(work, share=False)
    _announcement()
    return work()


def on_main(work: Callable[[], T]) -> T:
    """``work()`` on rank 0 alone (a choice that writes, such as moving an old run aside), its result on every rank."""
    if not current().distributed:
        return work()
    if current().main:
        return _announced(work, share=True)
    return _announcement()


def _announced(work: Callable[[], T], share: bool) -> T:
    """On rank 0: ``work()``, then tell the others how it went (and its result when ``share``)."""
    try:
        result = work()
    except VpkitError as exc:
        broadcast(("failed", exc.exit_code))
        raise
    except BaseException:
        broadcast(("failed", 1))
        raise
    broadcast(("ok", result if share else None))
    return result


def _announcement() -> Any:
    """On the other ranks: what rank 0's work came to; a quiet exit with its code when it failed."""
    outcome, value = broadcast()
    if outcome == "failed":
        raise QuietExit(value)
    return value


def wrap(module: nn.Module, device: torch.device, sync_batchnorm: bool) -> nn.Module:
    """``module`` for training on every rank: gradients averaged across ranks (DistributedDataParallel).

    Buffers are not broadcast at every forward pass: the discriminator runs twice (real, then
    generated clips) before one backward pass, and a broadcast between the two would change
    BatchNorm statistics that the first pass's backward still needs. :func:`average_buffers`
    makes them equal instead, before anyone reads them.
    """
    if not current().distributed:
        return module
    if sync_batchnorm:
        module = nn.SyncBatchNorm.convert_sync_batchnorm(module)
    ids = [device.index] if device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(module, device_ids=ids, forward_sync_buffers=False)


@torch.no_grad()
def average_buffers(module: nn.Module) -> None:
    """Average the floating-point buffers (BatchNorm running statistics) across ranks.

    A running statistic is updated as s <- (1 - m) s + m x on every rank with the same m, which
    is linear in s: the mean over ranks of each rank's statistic is the statistic of the mean,
    whenever it is taken. So averaging once before a checkpoint, a sample grid or an evaluation
    gives what averaging after every step would, without a collective per step.
    """
    ranks = current()
    if not ranks.distributed:
        return
    buffers = [b for b in module.buffers() if b.is_floating_point()]
    if not buffers:
        return
    flat = torch.cat([b.reshape(-1).float() for b in buffers])
    with collective("averaging BatchNorm statistics"):
        dist.all_reduce(flat)
    flat /= ranks.world
    offset = 0
    for buffer in buffers:
        buffer.copy_(flat[offset : offset + buffer.numel()].view_as(buffer))
        offset += buffer.numel()


def launch(processes: int, arguments: list[str]) -> None:
    """Start ``vpkit ARGUMENTS`` in ``processes`` processes on this machine with torch's own launcher
    (``torchrun --standalone --nproc-per-node N -m vpkit ...``), and wait for them.

    A failed rank has printed its own error; this exits with its code, without the launcher's
    traceback. A signal (Ctrl-C, SIGTERM from a scheduler) reaches every rank through the
    launcher, and each stops at the same step after one checkpoint.
    """
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import parse_args, run

    # One thread per core between them (torchrun would set 1 and say so), unless the user chose.
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // processes)))
    args = parse_args(["--standalone", "--nproc-per-node", str(processes), "--module", "vpkit", *arguments])
    try:
        run(args)
    except ChildFailedError as exc:
        codes = [failure.exitcode for failure in exc.failures.values()]
        raise QuietExit(next((c for c in codes if c > 0), 1)) from None
    except SignalException as exc:
        raise QuietExit(128 + int(exc.sigval)) from None
