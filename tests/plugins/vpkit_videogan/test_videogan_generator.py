import pydantic
import pytest
import torch
from torch import nn
from vpkit_videogan.generator import VideoGANGenerator
from vpkit_videogan.warp import warp

from vpkit import ClipSpec


def make(frames=16, size=32, **options):
    options.setdefault("width", 0.25)
    return VideoGANGenerator(VideoGANGenerator.Config(**options), ClipSpec(frames, size)).eval()


@pytest.mark.parametrize(
    "frames, size, options",
    [(32, 64, {"width": 1.0}), (16, 32, {"width": 0.25}), (16, 32, {"width": 0.25, "upsample": "resize"})],
)
def test_output_shapes_and_ranges(frames, size, options):
    model = make(frames, size, **options)
    with torch.no_grad():
        out = model(model.sample_latent(2, torch.Generator().manual_seed(0)))
    assert out.video.shape == (2, 3, frames, size, size)
    assert out.parts["foreground"].shape == (2, 3, frames, size, size)
    assert out.parts["mask"].shape == (2, 1, frames, size, size)
    assert out.parts["background"].shape == (2, 3, size, size)
    assert out.video.min() >= -1 and out.video.max() <= 1
    mask = out.parts["mask"]
    assert mask.min() >= 0 and mask.max() <= 1


def test_video_is_mask_composition_with_static_background():
    model = make()
    with torch.no_grad():
        out = model(model.sample_latent(2))
    f, m, b = out.parts["foreground"], out.parts["mask"], out.parts["background"]
    assert torch.allclose(out.video, m * f + (1 - m) * b.unsqueeze(2))
    # What the mask lets through of the background is the same image in every frame.
    background_seen = (out.video - m * f) / (1 - m)
    assert torch.allclose(background_seen, background_seen[:, :, :1].expand_as(background_seen), atol=1e-4)


def test_default_parameter_count():
    def conv(c_in, c_out, kernel_volume, bias=False):
        return c_in * c_out * kernel_volume + (c_out if bias else 0)

    def bn(c):
        return 2 * c

    channels, t0, latent = [512, 256, 128, 64], 2, 100
    inner = sum(conv(a, b, 4**3) + bn(b) for a, b in zip(channels, channels[1:], strict=False))
    heads = conv(64, 3, 4**3, bias=True) + conv(64, 1, 4**3, bias=True)  # foreground, mask
    foreground = conv(latent, 512, t0 * 4 * 4) + bn(512) + inner + heads
    inner_2d = sum(conv(a, b, 4**2) + bn(b) for a, b in zip(channels, channels[1:], strict=False))
    background = conv(latent, 512, 4 * 4) + bn(512) + inner_2d + conv(64, 3, 4**2, bias=True)

    model = VideoGANGenerator(VideoGANGenerator.Config(), ClipSpec(32, 64))
    count = sum(p.numel() for p in model.parameters())
    assert foreground + background == 16_243_463
    assert count == 16_243_463


def test_mask_loss():
    model = make(mask_penalty=0.5)
    with torch.no_grad():
        out = model(model.sample_latent(2))
    assert set(out.losses) == {"mask_l1"}
    assert torch.allclose(out.losses["mask_l1"], 0.5 * out.parts["mask"].mean())
    with torch.no_grad():
        assert make(mask_penalty=0.0)(model.sample_latent(2)).losses == {}


def test_default_config_is_the_paper():
    config = VideoGANGenerator.Config()
    paper = (100, 1.0, 0.1, "transposed", "paper", 0.0)
    assert (
        config.latent_dim,
        config.width,
        config.mask_penalty,
        config.upsample,
        config.init,
        config.mask_bias,
    ) == paper
    assert VideoGANGenerator.name == "videogan"
    assert VideoGANGenerator.conditional is False
    assert VideoGANGenerator.default_schedule == {"d_steps": 1, "g_steps": 1, "g_extra_every": 3}


@pytest.mark.parametrize(
    "options",
    [
        {"latent_dim": 0},
        {"width": 0},
        {"mask_penalty": -0.1},
        {"frames": 32},
        {"upsample": "bilinear"},
        {"init": "xavier"},
    ],
)
def test_config_rejects_bad_values(options):
    with pytest.raises(pydantic.ValidationError):
        VideoGANGenerator.Config(**options)


def test_sample_latent_is_seeded_standard_normal():
    model = make(latent_dim=64)
    z = model.sample_latent(4096, torch.Generator().manual_seed(1))
    assert z.shape == (4096, 64)
    assert torch.equal(z, model.sample_latent(4096, torch.Generator().manual_seed(1)))
    assert abs(z.mean().item()) < 0.01 and abs(z.std().item() - 1) < 0.01


def test_init_statistics():
    model = VideoGANGenerator(VideoGANGenerator.Config(), ClipSpec(32, 64))
    first_conv, first_norm = model.foreground[0], model.foreground[1]
    assert abs(first_conv.weight.std().item() - 0.01) < 0.0005
    assert abs(first_conv.weight.mean().item()) < 0.0005
    assert abs(first_norm.weight.mean().item() - 1) < 0.01
    assert abs(first_norm.weight.std().item() - 0.02) < 0.005
    assert torch.all(first_norm.bias == 0)
    assert torch.all(model.foreground_head[0].bias == 0)


def test_resize_upsampling_resizes_then_convolves_with_kernel_3():
    model = make(upsample="resize")
    strided = [
        m for m in model.modules() if isinstance(m, (nn.ConvTranspose2d, nn.ConvTranspose3d)) and max(m.stride) > 1
    ]
    assert strided == []  # only the stride-1 projections of z stay transposed convolutions
    resizes = [m for m in model.modules() if isinstance(m, nn.Upsample)]
    convs = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Conv3d))]
    # 3-D stream: two inner levels, the foreground and mask heads; 2-D stream: two inner levels, the background head.
    assert len(resizes) == len(convs) == 7
    assert all(m.scale_factor == 2 and m.mode == "nearest" for m in resizes)
    assert all(set(m.kernel_size) == {3} and set(m.stride) == {1} for m in convs)


@pytest.mark.parametrize("dims", [2, 3])
def test_resize_upsampling_of_a_flat_input_is_flat_where_transposed_leaves_a_pattern(dims):
    """Odena et al.'s point: a stride-2 transposed convolution gives odd and even output pixels
    different sums of its kernel, so even a constant input comes out striped; resize-then-convolve
    gives every pixel the same sum."""
    from torch import nn
    from vpkit_videogan.layers import double

    torch.manual_seed(0)
    flat = torch.ones(1, 4, *([6] * dims))
    inner = (slice(None), slice(None), *([slice(2, -2)] * dims))  # away from the zero padding
    with torch.no_grad():
        resized = nn.Sequential(*double(dims, 4, 2, "resize", bias=False))(flat)[inner]
        transposed = nn.Sequential(*double(dims, 4, 2, "transposed", bias=False))(flat)[inner]
    assert resized.shape == transposed.shape == (1, 2, *([8] * dims))
    assert resized.flatten(2).std(2).max() < 1e-6  # each channel one value
    assert transposed.flatten(2).std(2).min() > 1e-3


@pytest.mark.parametrize("upsample", ["transposed", "resize"])
def test_mask_bias_starts_the_video_at_its_background(upsample):
    assert VideoGANGenerator.Config().mask_bias == 0.0  # the paper's
    model = make(upsample=upsample, mask_bias=-4.0)
    with torch.no_grad():
        out = model(model.sample_latent(2))
    mask = out.parts["mask"]
    # The paper's N(0, 0.01) weights leave the logits near their bias: the mask near sigmoid(-4) = 0.018.
    assert mask.mean().item() == pytest.approx(torch.sigmoid(torch.tensor(-4.0)).item(), abs=0.005)
    background = out.parts["background"].unsqueeze(2).expand_as(out.video)
    assert (out.video - background).abs().max() < 0.05


def test_default_init_is_pytorchs():
    torch.manual_seed(0)
    model = make(init="default")
    head = model.background[-1][0]
    # PyTorch's Kaiming-uniform bound for a transposed convolution: 1 / sqrt(weight.size(1) * kernel area).
    bound = 1 / (head.weight.size(1) * 16) ** 0.5
    assert head.weight.abs().max() <= bound and head.weight.std() > 0.5 * bound / 3**0.5
    assert head.bias.abs().max() > 0  # the paper's init zeroes every bias


@pytest.mark.parametrize(
    "options, still, heads_gone",
    [
        ({"foreground": "velocity", "mask_bias": 4}, "background", ["foreground_head"]),
        (
            {"foreground": "splatted", "mask_penalty": 0, "velocity_pooling": 4},
            "first",
            ["foreground_head", "mask_head"],
        ),
    ],
)
def test_an_untrained_carried_foreground_holds_its_image_still(options, still, heads_gone):
    """Velocity: the background, warped by a zero field; splatted: the first frame, its pixels not yet moving."""
    model = make(**options)
    assert not any(hasattr(model, head) for head in heads_gone)
    with torch.no_grad():
        out = model(model.sample_latent(2))
    assert out.parts["flow"].shape == (2, 2, 16, 32, 32)
    held = out.parts[still].unsqueeze(2).expand_as(out.video)
    assert torch.allclose(out.video, held, atol=1e-5)


def test_a_velocity_foreground_carries_the_background_from_the_middle_frame_outwards():
    model = make(8, 16, foreground="velocity")
    nn.init.normal_(model.warp.velocity[-2].weight)
    with torch.no_grad():
        out = model(model.sample_latent(2))
    flow = out.parts["flow"]
    step = flow[:, :, 1] - flow[:, :, 0]
    assert step.abs().max() > 1e-3
    for t in range(8):
        assert torch.allclose(flow[:, :, t], (t - 3.5) * step, atol=1e-5)
    assert torch.allclose(out.parts["foreground"], warp(out.parts["background"], flow), atol=1e-6)


def test_a_splatted_foreground_carries_the_first_frames_moving_pixels_forward():
    model = make(8, 16, foreground="splatted", mask_penalty=0, max_speed=1.0)
    field = model.warp.field[-1]
    nn.init.constant_(field.bias, 0)
    field.bias.data[0] = 20.0  # tanh saturates: every pixel at 1 pixel per frame to the right
    field.bias.data[2] = 20.0  # and every pixel moves
    with torch.no_grad():
        out = model(model.sample_latent(2))
    first = out.parts["first"]
    for t in range(8):
        assert torch.allclose(out.video[:, :, t, :, t:], first[..., : 16 - t], atol=1e-4)
    # Where nothing lands, the ground the movers left: the in-painting residual starts at zero.
    assert torch.allclose(out.video[:, :, 7, :, :7], first[..., :7], atol=1e-4)


@pytest.mark.parametrize("option", [{"max_speed": 1.5}, {"velocity_pooling": 4}])
def test_splatting_options_need_the_splatted_foreground(option):
    with pytest.raises(pydantic.ValidationError, match="is for foreground: splatted"):
        VideoGANGenerator.Config(**option)
