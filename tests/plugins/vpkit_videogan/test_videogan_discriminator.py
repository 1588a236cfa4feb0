import pydantic
import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize
from vpkit_videogan.discriminator import VideoGANDiscriminator
from vpkit_videogan.generator import VideoGANGenerator

from vpkit import ClipSpec

SMALL = ClipSpec(16, 32)


@pytest.mark.parametrize("norm", ["batch", "spectral"])
def test_one_logit_per_video(norm):
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25, norm=norm), SMALL)
    assert model(torch.rand(3, 3, 16, 32, 32) * 2 - 1).shape == (3,)


def test_default_parameter_count():
    def conv(c_in, c_out, kernel_volume, bias=False):
        return c_in * c_out * kernel_volume + (c_out if bias else 0)

    channels, t0 = [64, 128, 256, 512], 2
    expected = (
        conv(3, 64, 4**3, bias=True)
        + sum(conv(a, b, 4**3) + 2 * b for a, b in zip(channels, channels[1:], strict=False))
        + conv(512, 1, t0 * 4 * 4, bias=True)
    )
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(), ClipSpec(32, 64))
    assert expected == 11_040_577
    assert sum(p.numel() for p in model.parameters()) == 11_040_577


def test_gradients_flow_to_generator_through_discriminator():
    generator = VideoGANGenerator(VideoGANGenerator.Config(width=0.25), SMALL)
    discriminator = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25), SMALL)
    out = generator(generator.sample_latent(2))
    discriminator(out.video).sum().backward()
    for name, parameter in generator.named_parameters():
        assert parameter.grad is not None and parameter.grad.abs().sum() > 0, name


def test_init_statistics():
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(), ClipSpec(32, 64))
    widest = [m for m in model.net if isinstance(m, nn.Conv3d)][-2]
    assert widest.out_channels == 512
    weight = widest.weight
    assert abs(weight.std().item() - 0.01) < 0.0005
    assert torch.all(model.net[0].bias == 0)


def test_default_norm_is_the_papers_batch_norm():
    assert VideoGANDiscriminator.Config().norm == "batch"
    with pytest.raises(pydantic.ValidationError):
        VideoGANDiscriminator.Config(norm="layer")


def test_spectral_norm_replaces_batch_norm_and_bounds_every_convolution():
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25, norm="spectral"), SMALL)
    convs = [m for m in model.net if isinstance(m, nn.Conv3d)]
    assert not any(isinstance(m, nn.BatchNorm3d) for m in model.modules())
    assert len(convs) == 4 and all(parametrize.is_parametrized(m, "weight") for m in convs)
    model.train()
    for _ in range(30):  # power iterations, one per forward pass in training mode
        model(torch.rand(2, 3, 16, 32, 32))
    for conv in convs:
        # The largest singular value of the weight viewed as (out, in * kernel), as spectral_norm defines it.
        sigma = torch.linalg.matrix_norm(conv.weight.detach().flatten(1), ord=2)
        assert sigma.item() == pytest.approx(1.0, rel=0.05)


@pytest.mark.parametrize("norm", ["batch", "spectral"])
def test_a_frame_discriminator_adds_its_mean_logit_to_the_videos(norm):
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25, norm=norm, frames=3), SMALL).eval()
    assert not hasattr(VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25), SMALL), "frame_net")
    convs = [m for m in model.frame_net if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(3, 16), (16, 32), (32, 64), (64, 1)]
    video = torch.rand(2, 3, 16, 32, 32) * 2 - 1
    with torch.no_grad():
        torch.manual_seed(0)
        logits = model(video)
        torch.manual_seed(0)
        frames = model.frame_logits(video)
    assert logits.shape == (2,) and frames.shape == (2, 3)
    assert torch.allclose(logits, model.net(video).flatten() + frames.mean(1), atol=1e-6)


def test_the_frame_discriminator_judges_single_frames():
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25, frames=2), SMALL).eval()
    still = (torch.rand(1, 3, 1, 32, 32) * 2 - 1).expand(1, 3, 16, 32, 32)
    with torch.no_grad():
        first = model.frame_net(still[:, :, 0]).flatten()
        assert torch.allclose(model.frame_logits(still), first.expand(1, 2), atol=1e-6)  # every frame alike


def test_frame_discriminator_gradients_reach_the_generator():
    generator = VideoGANGenerator(VideoGANGenerator.Config(width=0.25), SMALL)
    discriminator = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25, frames=2), SMALL)
    discriminator.frame_logits(generator(generator.sample_latent(2)).video).sum().backward()
    assert all(p.grad is not None for p in discriminator.frame_net.parameters())
    assert generator.background[-1][-2].weight.grad.abs().sum() > 0
