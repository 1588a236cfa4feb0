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
