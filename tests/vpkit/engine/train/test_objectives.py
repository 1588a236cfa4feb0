import pytest
import torch
import torch.nn.functional as F

from vpkit.engine.train.objectives import (
    discriminator_loss,
    generator_adversarial_loss,
    gradient_difference,
    horizon,
    pyramid,
    r1_penalty,
    reconstruction_loss,
)


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
    with pytest.raises(ValueError, match=r"does not hold 1 of each real clip \(2, 3, 4, 8, 8\)"):
        reconstruction_loss(videos()[:, :, :2], videos(), "l1")
    with pytest.raises(ValueError, match="does not hold 3 of each"):
        reconstruction_loss(torch.cat([videos()] * 2), videos(), "l1", samples=3)


def test_several_samples_count_the_closest_one_of_each_clip():
    real = videos()
    near, far = real + 0.1, real + 0.5
    # clip 0's best sample is the first, clip 1's the second (sample-major: [s0c0, s0c1, s1c0, s1c1])
    prediction = torch.cat([torch.stack([near[0], far[1]]), torch.stack([far[0], near[1]])])
    assert reconstruction_loss(prediction, real, "l1", samples=2).item() == pytest.approx(0.1)
    assert reconstruction_loss(torch.cat([far, far]), real, "l1", samples=2).item() == pytest.approx(0.5)
    # one sample per clip is the plain mean
    assert reconstruction_loss(near, real, "l1", samples=1).item() == pytest.approx(0.1)


def test_only_the_closest_sample_gets_a_gradient():
    real = videos()
    prediction = torch.cat([real + 0.1, real + 0.5]).requires_grad_(True)
    reconstruction_loss(prediction, real, "l2", samples=2).backward()
    assert prediction.grad[:2].abs().sum() > 0
    assert torch.equal(prediction.grad[2:], torch.zeros_like(prediction.grad[2:]))


def test_the_gradient_difference_counts_in_the_choice_of_the_closest_sample():
    real = videos()
    sharp_but_shifted, blurred_but_close = real + 0.6, blurred(real)  # L1 0.6 against 0.46
    prediction = torch.cat([sharp_but_shifted, blurred_but_close])
    plain = reconstruction_loss(prediction, real, "l1", samples=2)
    with_edges = reconstruction_loss(prediction, real, "l1", gradient=10.0, samples=2)
    assert plain.item() == pytest.approx(reconstruction_loss(blurred_but_close, real, "l1").item())
    assert with_edges.item() == pytest.approx(0.6, abs=1e-5)  # the sharp one wins once edges count


def blurred(video):
    """Each frame averaged over 3 x 3 neighbourhoods: the same colours, weaker edges."""
    b, c, t, h, w = video.shape
    frames = video.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w)
    frames = F.avg_pool2d(frames, 3, 1, 1, count_include_pad=False)
    return frames.reshape(b, t, c, h, w).permute(0, 2, 1, 3, 4)


def test_gradient_difference_ignores_shifts_and_punishes_blur():
    real = videos()
    assert gradient_difference(real, real) == 0
    assert gradient_difference(real + 0.3, real) == pytest.approx(0, abs=1e-6)  # same edges, other brightness
    assert gradient_difference(blurred(real), real) > 0.1


def test_gradient_difference_is_its_definition_on_a_known_case():
    real = torch.zeros(1, 1, 1, 2, 2)
    real[..., 0, 0] = 1.0  # edges of 1 to the right of and below the top-left pixel
    flat = torch.zeros_like(real)
    # height: |1| and |0| -> mean 0.5; width: the same -> 0.5
    assert gradient_difference(flat, real).item() == pytest.approx(1.0)


def test_gradient_weight_adds_the_gradient_difference_to_the_distance():
    real, prediction = videos(), blurred(videos())
    distance = reconstruction_loss(prediction, real, "l2")
    combined = reconstruction_loss(prediction, real, "l2", gradient=2.0)
    assert combined.item() == pytest.approx(distance.item() + 2.0 * gradient_difference(prediction, real).item())
    prediction.requires_grad_(True)
    reconstruction_loss(prediction, real, "l1", gradient=1.0).backward()
    assert prediction.grad.abs().sum() > 0


LOGITS = torch.tensor([-2.0, 0.0, 0.5, 3.0])


def test_the_pyramid_averages_each_frame_over_ever_larger_blocks():
    video = videos()
    levels = pyramid(video, 3)
    assert [level.shape for level in levels] == [(2, 3, 4, 8, 8), (2, 3, 4, 4, 4), (2, 3, 4, 2, 2)]
    assert torch.equal(levels[0], video)
    assert torch.allclose(levels[2][0, 1, 2, 1, 0], video[0, 1, 2, 4:8, 0:4].mean())


def test_coarser_scales_pay_more_for_a_mover_put_a_pixel_off_than_for_erasing_it():
    real = torch.zeros(1, 3, 1, 8, 8)
    real[..., 4:6, 4:6] = 1.0  # a 2 x 2 mover
    off = torch.zeros_like(real)
    off[..., 4:6, 5:7] = 1.0  # the same mover, one pixel to the right
    erased = torch.zeros_like(real)
    assert reconstruction_loss(off, real, "l2") == reconstruction_loss(erased, real, "l2")  # pixels alone: a tie
    assert reconstruction_loss(off, real, "l2", scales=3) < reconstruction_loss(erased, real, "l2", scales=3)
    assert reconstruction_loss(real, real, "l2", scales=3) == 0


def test_a_coarse_block_scores_only_what_its_averages_see():
    real = torch.zeros(1, 3, 1, 8, 8)
    real[..., 4:6, 4:6] = 1.0  # a 2 x 2 mover
    inside = torch.zeros_like(real)
    inside[..., 4:6, 6:8] = 1.0  # the same mover two pixels on, within the same 4 x 4 block
    erased = torch.zeros_like(real)
    assert reconstruction_loss(inside, real, "l2") > reconstruction_loss(erased, real, "l2")  # pixels: erasing wins
    assert reconstruction_loss(inside, real, "l2", block=4) == 0  # blocks of 4: it is where it should be
    assert reconstruction_loss(erased, real, "l2", block=4) > 0
    pooled = torch.nn.functional.avg_pool3d(real, (1, 2, 2))
    assert reconstruction_loss(inside, real, "l2", scales=2, block=2) == pytest.approx(
        reconstruction_loss(torch.nn.functional.avg_pool3d(inside, (1, 2, 2)), pooled, "l2", scales=2).item()
    )


def test_the_horizon_grows_from_the_first_predicted_frame_to_the_whole_clip():
    scored = [horizon(step, 140, 2, 16) for step in range(1, 200)]
    assert scored[0] == 3  # the two context frames and the first predicted one
    assert scored == sorted(scored)  # it only grows
    assert set(scored) == set(range(3, 17))  # a frame at a time
    assert horizon(139, 140, 2, 16) == 15 and horizon(140, 140, 2, 16) == 16
    assert horizon(1, 0, 1, 16) == 16  # no warmup: the whole clip from the first step


def test_bce_is_the_papers_cross_entropy_on_logits():
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    real, fake = LOGITS, LOGITS.flip(0)
    expected = bce(real, torch.ones(4)) + bce(fake, torch.zeros(4))
    assert discriminator_loss("bce", real, fake).item() == pytest.approx(expected.item())
    # The generator's non-saturating loss: -log sigmoid(logit).
    assert generator_adversarial_loss("bce", fake).item() == pytest.approx(bce(fake, torch.ones(4)).item())


def test_hinge_stops_pushing_past_a_margin_of_one():
    # real logits below 1 and fake ones above -1 cost their distance to the margin; the rest nothing.
    real, fake = LOGITS, torch.tensor([-3.0, -1.0, 0.0, 2.0])
    expected = (3 + 1 + 0.5 + 0) / 4 + (0 + 0 + 1 + 3) / 4
    assert discriminator_loss("hinge", real, fake).item() == pytest.approx(expected)
    assert discriminator_loss("hinge", torch.full((4,), 5.0), torch.full((4,), -5.0)).item() == 0
    assert generator_adversarial_loss("hinge", fake).item() == pytest.approx(-fake.mean().item())


def test_r1_is_the_squared_gradient_norm_on_the_real_clips():
    # A linear critic: logit = <w, x> + x[0]^2, whose gradient at x is w + 2 x[0] e_0.
    w = torch.randn(2, 3, 2, 2, 2, generator=torch.Generator().manual_seed(0))[0]
    real = videos()[:, :, :2, :2, :2].clone().requires_grad_(True)
    logits = (real * w).flatten(1).sum(1) + real.flatten(1)[:, 0] ** 2
    penalty = r1_penalty(logits, real)
    gradients = w.expand_as(real).clone()
    gradients.flatten(1)[:, 0] += 2 * real.detach().flatten(1)[:, 0]
    assert penalty.item() == pytest.approx(gradients.pow(2).flatten(1).sum(1).mean().item(), rel=1e-5)
    penalty.backward()  # differentiable: the discriminator's optimiser can follow it
    assert real.grad is not None
