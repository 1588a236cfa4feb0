"""Every generator call of a server runs on one worker thread, in batches where it can.

One thread, because requests must not run on top of each other on one device (they would
compete for its memory and its cores and all finish late); and off the event loop, so the
page and the API keep answering while a model works. Predictions for the same model that
wait together run as one forward pass through ``generate_each``, which gives every request
the video it would get alone. A sample grid runs alone: its seed draws all of its videos.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass

import torch

from vpkit.components import GeneratorOutput
from vpkit.engine.generate import generate, generate_each

from .models import ServedModel

#: Most predictions run in one forward pass.
MAX_BATCH = 16


@dataclass(eq=False)  # jobs are compared by identity (their tensors have no truth value)
class _Job:
    model: ServedModel
    seed: int
    #: First frame (3, H, W) in [-1, 1] for a prediction; None for a sample grid.
    condition: torch.Tensor | None
    #: Videos in a sample grid.
    count: int
    done: Future

    def joins(self, other: _Job) -> bool:
        """Whether ``other`` can run in the same batch as this job."""
        return self.condition is not None and other.condition is not None and self.model is other.model


class InferenceWorker:
    """A queue of generator calls and the thread that runs them; ``start`` and ``stop`` bracket its life."""

    def __init__(self, max_batch: int = MAX_BATCH):
        self.max_batch = max_batch
        self._jobs: deque[_Job] = deque()
        self._ready = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="vpkit-inference", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish the jobs already queued, then end the thread."""
        with self._ready:
            self._stopping = True
            self._ready.notify()
        if self._thread is not None:
            self._thread.join()

    def predict(self, model: ServedModel, condition: torch.Tensor, seed: int) -> Future[GeneratorOutput]:
        """The video that follows one context (3, k, H, W): a batch of one in the result."""
        return self._submit(_Job(model, seed, condition, 1, Future()))

    def sample(self, model: ServedModel, count: int, seed: int) -> Future[GeneratorOutput]:
        """``count`` videos of an unconditional model, drawn by ``seed`` as ``vpkit sample`` draws them."""
        return self._submit(_Job(model, seed, None, count, Future()))

    def _submit(self, job: _Job) -> Future[GeneratorOutput]:
        with self._ready:
            if self._stopping:
                raise RuntimeError("the inference worker has stopped")
            self._jobs.append(job)
            self._ready.notify()
        return job.done

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._jobs and not self._stopping:
                    self._ready.wait()
                if not self._jobs:
                    return
                batch = self._take_batch()
            self._run(batch)

    def _take_batch(self) -> list[_Job]:
        """The oldest job and the waiting jobs that can join it, in arrival order (caller holds the lock)."""
        first = self._jobs.popleft()
        batch = [first]
        for job in list(self._jobs):
            if len(batch) == self.max_batch:
                break
            if first.joins(job):
                batch.append(job)
                self._jobs.remove(job)
        return batch

    def _run(self, batch: list[_Job]) -> None:
        first = batch[0]
        generator, precision = first.model.trained.generator, first.model.trained.precision  # the run's precision
        try:
            with torch.inference_mode():
                if first.condition is None:
                    outputs = [generate(generator, first.count, seed=first.seed, precision=precision)]
                else:
                    together = generate_each(
                        generator, [job.seed for job in batch], torch.stack([job.condition for job in batch]), precision
                    )
                    outputs = [_row(together, i) for i in range(len(batch))]
        except Exception as exc:  # reported to each request; the worker keeps serving
            for job in batch:
                job.done.set_exception(exc)
            return
        for job, output in zip(batch, outputs, strict=False):
            job.done.set_result(output)


def _row(output: GeneratorOutput, index: int) -> GeneratorOutput:
    """Video ``index`` of a batch and its parts, as a batch of one."""
    keep = slice(index, index + 1)
    return GeneratorOutput(output.video[keep], {name: part[keep] for name, part in output.parts.items()})
