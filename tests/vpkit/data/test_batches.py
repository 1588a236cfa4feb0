import numpy as np
import torch

from vpkit import ClipSpec, ClipWriter
from vpkit.data.batches import BatchFeeder


def dataset(tmp_path, n=10):
    writer = ClipWriter(tmp_path, ClipSpec(2, 4), {})
    data = np.arange(n, dtype=np.uint8).reshape(n, 1, 1, 1, 1) * np.ones((1, 2, 4, 4, 3), np.uint8)
    writer.add("a", data[:6], "train")
    writer.add("b", data[6:], "train")
    return writer.finish().split("train")


def first_values(batch):
    return [round(v) for v in ((batch[:, 0, 0, 0, 0] + 1) * 127.5).tolist()]


def test_batches_are_float_in_range_and_cover_each_epoch(tmp_path):
    feeder = BatchFeeder(dataset(tmp_path), batch_size=4, device=torch.device("cpu"), seed=0)
    batch = feeder.next()
    assert batch.shape == (4, 3, 2, 4, 4) and batch.dtype == torch.float32
    assert batch.min() >= -1 and batch.max() <= 1
    seen = first_values(batch) + first_values(feeder.next()) + first_values(feeder.next())[:2]
    assert sorted(seen) == list(range(10))  # 12 draws span one whole epoch, then the next begins
    assert feeder.epoch == 1


def test_state_restores_the_exact_sequence(tmp_path):
    data = dataset(tmp_path)
    a = BatchFeeder(data, 3, torch.device("cpu"), seed=5)
    for _ in range(4):
        a.next()
    b = BatchFeeder(data, 3, torch.device("cpu"), seed=5)
    b.load_state_dict(a.state_dict())
    for _ in range(5):
        assert torch.equal(a.next(), b.next())
