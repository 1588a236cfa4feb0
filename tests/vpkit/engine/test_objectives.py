import pytest
import torch

from vpkit.engine.objectives import reconstruction_loss


def videos(seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(2, 3, 4, 8, 8, generator=g) * 2 - 1


def test_distances_are_zero_for_the_real_clip_and_grow_with_the_error():
    real = videos()
    for distance in ("l1", "l2"):
        assert reconstruction_loss(real, real, distance) == 0
    assert reconstruction_loss(real + 0.5, real, "l1").item() == pytest.approx(0.5)
    assert reconstruction_loss(real + 0.5, real, "l2").item() == pytest.approx(0.25)


def test_every_frame_counts():
    real = videos()
    prediction = real.clone()
    prediction[:, :, -1] += 1.0  # only the last of 4 frames is wrong
    assert reconstruction_loss(prediction, real, "l1").item() == pytest.approx(0.25)


def test_gradient_reaches_the_prediction():
    prediction = videos(1).requires_grad_(True)
    reconstruction_loss(prediction, videos(2), "l2").backward()
    assert prediction.grad.abs().sum() > 0


def test_shapes_must_match():
    with pytest.raises(ValueError, match="differ in shape"):
        reconstruction_loss(videos()[:, :, :2], videos(), "l1")
