import torch
from torch import nn

from vpkit.engine.train.ema import WeightAverage


def test_average_moves_by_one_minus_decay_and_copies_buffers():
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    average = WeightAverage(model, decay=0.75)
    before = [p.clone() for p in average.model.parameters()]
    with torch.no_grad():
        for p in model.parameters():
            p.add_(4.0)
        model[1].running_mean.fill_(7.0)
    average.update(model)
    for old, new in zip(before, average.model.parameters(), strict=False):
        assert torch.allclose(new, old + 1.0)  # a quarter of the way towards weights 4 higher
    assert torch.equal(average.model[1].running_mean, torch.full((2,), 7.0))


def test_average_is_a_frozen_copy_in_eval_mode():
    model = nn.Linear(3, 2)
    average = WeightAverage(model, decay=0.9)
    assert not average.model.training
    assert not any(p.requires_grad for p in average.model.parameters())
    assert average.model.weight.data_ptr() != model.weight.data_ptr()
