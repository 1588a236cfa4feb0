import torch
from torch import nn
from vpkit_videogan.discriminator import VideoGANDiscriminator
from vpkit_videogan.generator import VideoGANGenerator

from vpkit import ClipSpec

SMALL = ClipSpec(16, 32)


def test_one_logit_per_video():
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=0.25), SMALL)
    assert model(torch.rand(3, 3, 16, 32, 32) * 2 - 1).shape == (3,)


def test_default_parameter_count():
    def conv(c_in, c_out, kernel_volume, bias=False):
        return c_in * c_out * kernel_volume + (c_out if bias else 0)

    channels, t0 = [64, 128, 256, 512], 2
    expected = (
        conv(3, 64, 4**3, bias=True)
        + sum(conv(a, b, 4**3) + 2 * b for a, b in zip(channels, channels[1:]))
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
