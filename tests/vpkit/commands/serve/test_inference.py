"""The inference worker of ``vpkit serve`` in-process, on the tiny trained runs: which requests
share a forward pass, and that sharing changes no answer."""

from __future__ import annotations

import pytest
import torch

from vpkit.commands.serve.inference import InferenceWorker
from vpkit.commands.serve.models import load_models
from vpkit.engine.generate import generate


@pytest.fixture(scope="module")
def models(future_run, plain_run):
    return load_models([future_run, plain_run], device="cpu")


def batch_sizes(model) -> list[int]:
    """The batch size of every forward pass of ``model``'s generator from now on (a real forward hook)."""
    sizes: list[int] = []
    model.trained.generator.register_forward_hook(lambda module, args, output: sizes.append(len(output.video)))
    return sizes


def test_waiting_predictions_of_one_model_share_a_forward_pass(models):
    future, plain = models["videogan_future"], models["videogan"]
    future_sizes, plain_sizes = batch_sizes(future), batch_sizes(plain)
    frames = torch.rand(7, 3, 1, 16, 16) * 2 - 1
    worker = InferenceWorker(max_batch=4)
    # Queued before the worker starts, so that they all wait together.
    jobs = [worker.predict(future, frames[i], seed=i) for i in range(5)]
    grid = worker.sample(plain, 3, seed=9)
    jobs += [worker.predict(future, frames[i], seed=i) for i in range(5, 7)]
    worker.start()
    worker.stop()
    assert future_sizes == [4, 3] and plain_sizes == [3]
    for i, job in enumerate(jobs):
        alone = generate(future.trained.generator, 1, frames[i : i + 1], seed=i)
        torch.testing.assert_close(job.result().video, alone.video, atol=1e-5, rtol=0)
        assert job.result().parts.keys() == {"foreground", "mask", "background"}
    assert torch.equal(grid.result().video, generate(plain.trained.generator, 3, seed=9).video)


def test_a_failing_batch_fails_its_requests_and_the_worker_goes_on(models):
    future = models["videogan_future"]
    worker = InferenceWorker()
    worker.start()
    try:
        one_channel = worker.predict(future, torch.zeros(1, 1, 16, 16), seed=0)
        assert isinstance(one_channel.exception(timeout=60), RuntimeError)
        assert worker.predict(future, torch.zeros(3, 1, 16, 16), seed=0).result(timeout=60).video.shape == (
            1,
            3,
            4,
            16,
            16,
        )
    finally:
        worker.stop()
