import pydantic
import pytest
import torch
from torch import nn
from vpkit_videogan.discriminator import VideoGANDiscriminator
from vpkit_videogan.future import VideoGANFutureGenerator, context_error, total_variation
from vpkit_videogan.splat import local_mean, matched_motion, matching_costs, splat
from vpkit_videogan.warp import warp

from vpkit import ClipSpec


def make(frames=4, size=16, context=1, **options):
    options.setdefault("width", 0.25)
    return VideoGANFutureGenerator(VideoGANFutureGenerator.Config(**options), ClipSpec(frames, size, context))


def frames(count=2, size=16, seed=0, context=1):
    """``count`` contexts of ``context`` random frames, (count, 3, context, size, size)."""
    return torch.rand(count, 3, context, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


@pytest.mark.parametrize("clip_frames, size", [(4, 16), (16, 32), (32, 32)])
def test_output_shapes_and_ranges(clip_frames, size):
    model = make(clip_frames, size).eval()
    with torch.no_grad():
        out = model(model.sample_latent(2), frames(2, size))
    assert out.video.shape == (2, 3, clip_frames, size, size)
    assert out.parts["foreground"].shape == (2, 3, clip_frames, size, size)
    assert out.parts["mask"].shape == (2, 1, clip_frames, size, size)
    assert out.parts["background"].shape == (2, 3, size, size)
    assert out.video.min() >= -1 and out.video.max() <= 1
    f, m, b = out.parts["foreground"], out.parts["mask"], out.parts["background"]
    assert torch.allclose(out.video, m * f + (1 - m) * b.unsqueeze(2))


def test_paper_network_at_64():
    """Width 2 at 32 x 64 x 64 is the reference network:
    1024 x 4 x 4 code, 1024 x 2 x 4 x 4 after the first 3-D layer."""
    model = VideoGANFutureGenerator(VideoGANFutureGenerator.Config(), ClipSpec(32, 64)).eval()
    encoder_convs = [m for m in model.encoder if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in encoder_convs] == [(3, 128), (128, 256), (256, 512), (512, 1024)]
    assert not isinstance(model.encoder[1], nn.BatchNorm2d)  # no batch norm on the layer that sees pixels
    first = model.foreground[0]
    assert (first.in_channels, first.out_channels, first.kernel_size) == (1024, 1024, (2, 1, 1))
    background_convs = [m for m in model.background.modules() if isinstance(m, nn.ConvTranspose2d)]
    assert [(c.in_channels, c.out_channels) for c in background_convs] == [
        (1024, 512),
        (512, 256),
        (256, 128),
        (128, 3),
    ]
    with torch.no_grad():
        code = model.encoder(frames(1, 64)[:, :, 0])
        assert code.shape == (1, 1024, 4, 4)
        assert model.foreground[:3](code.unsqueeze(2)).shape == (1, 1024, 2, 4, 4)


def test_discriminator_of_width_2_is_the_conditional_papers():
    model = VideoGANDiscriminator(VideoGANDiscriminator.Config(width=2.0), ClipSpec(32, 64))
    convs = [m for m in model.net if isinstance(m, nn.Conv3d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [
        (3, 128),
        (128, 256),
        (256, 512),
        (512, 1024),
        (1024, 1),
    ]


def test_no_noise():
    model = make()
    assert model.sample_latent(5, torch.Generator().manual_seed(0)).shape == (5, 0)
    model.eval()
    with torch.no_grad():
        condition = frames()
        assert torch.equal(
            model(model.sample_latent(2), condition).video, model(model.sample_latent(2), condition).video
        )


def test_needs_a_condition():
    model = make()
    with pytest.raises(ValueError, match="needs the context frames"):
        model(model.sample_latent(2))


def test_reconstruction_zero_when_first_frame_equals_input_and_grows_otherwise():
    video = torch.rand(2, 3, 4, 16, 16) * 2 - 1
    first = video[:, :, :1].clone()
    assert context_error(video, first) == 0
    errors = [context_error(video, first + shift).item() for shift in (0.1, 0.2, 0.4)]
    assert errors == pytest.approx([0.1, 0.2, 0.4])


def test_reconstruction_loss_is_weighted_and_reaches_the_encoder():
    model = make(context_weight=3.0)
    condition = frames()
    out = model(model.sample_latent(2), condition)
    assert set(out.losses) == {"context"}
    expected = 3.0 * (out.video[:, :, :1] - condition).abs().mean()
    assert torch.allclose(out.losses["context"], expected)
    out.losses["context"].backward()
    assert model.encoder[0].weight.grad.abs().sum() > 0


def test_losses_are_configurable():
    condition = frames()
    out = make(context_weight=0.0, mask_penalty=0.5)(torch.empty(2, 0), condition)
    assert set(out.losses) == {"mask_l1"}
    assert torch.allclose(out.losses["mask_l1"], 0.5 * out.parts["mask"].mean())


def test_defaults_are_the_reference_code():
    config = VideoGANFutureGenerator.Config()
    assert (config.width, config.context_weight, config.mask_penalty) == (2.0, 10.0, 0.0)
    assert (config.background, config.mask_bias, config.skips, config.init) == ("learned", 0.0, False, "paper")
    assert (config.upsample, config.mask_max, config.noise, config.foreground) == ("transposed", 1.0, 0, "generated")
    assert VideoGANFutureGenerator.conditional is True
    assert VideoGANFutureGenerator.default_schedule == {"d_steps": 1, "g_steps": 1, "g_extra_every": 3}


@pytest.mark.parametrize(
    "options",
    [
        {"width": 0},
        {"context_weight": -1},
        {"mask_penalty": -0.1},
        {"latent_dim": 100},
        {"mask_max": 0},
        {"mask_max": 1.5},
        {"posterior": True},
        {"noise": 4, "posterior": True, "kl_weight": -1},
    ],
)
def test_config_rejects_bad_values(options):
    with pytest.raises(pydantic.ValidationError):
        VideoGANFutureGenerator.Config(**options)


def test_rejects_bad_clip():
    with pytest.raises(ValueError, match="power of two"):
        VideoGANFutureGenerator.check_clip(VideoGANFutureGenerator.Config(), ClipSpec(32, 48))


@pytest.mark.parametrize("background", ["learned", "input", "input_residual"])
@pytest.mark.parametrize("skips", [False, True])
def test_background_and_skip_options_keep_the_shapes(background, skips):
    model = make(16, 32, background=background, skips=skips, init="default", mask_bias=-4.0).eval()
    with torch.no_grad():
        out = model(model.sample_latent(2), frames(2, 32))
    assert out.video.shape == out.parts["foreground"].shape == (2, 3, 16, 32, 32)
    assert out.parts["mask"].shape == (2, 1, 16, 32, 32)
    assert out.parts["background"].shape == (2, 3, 32, 32)
    assert out.video.min() >= -1 and out.video.max() <= 1
    assert hasattr(model, "background") == (background != "input")


def test_skips_reach_the_video_from_every_encoder_level():
    model = make(skips=True)
    out = model(model.sample_latent(2), frames())
    out.video.sum().backward()
    convs = [m for m in model.encoder if isinstance(m, nn.Conv2d)]
    assert all(conv.weight.grad.abs().sum() > 0 for conv in convs)


def copy_first_frame(condition, frames_count):
    return condition[:, :, -1:].expand(-1, -1, frames_count, -1, -1)


@pytest.mark.parametrize("skips", [False, True])
def test_input_background_with_a_zero_mask_is_the_copy_baseline(skips):
    model = make(background="input", skips=skips).eval()
    nn.init.zeros_(model.mask_head[0].weight)
    nn.init.constant_(model.mask_head[0].bias, float("-inf"))  # sigmoid(-inf) = 0: the mask is exactly zero
    condition = frames()
    with torch.no_grad():
        video = model(model.sample_latent(2), condition).video
    assert torch.equal(video, copy_first_frame(condition, 4))


def test_residual_background_starts_as_the_input_frame():
    model = make(background="input_residual", init="default", mask_bias=-4.0).eval()
    condition = frames()
    with torch.no_grad():
        out = model(model.sample_latent(2), condition)
    assert torch.equal(out.parts["background"], condition[:, :, -1])
    assert out.parts["mask"].max() < 0.05
    assert (out.video - copy_first_frame(condition, 4)).abs().mean() < 0.05


def test_mask_bias_and_init_options():
    paper, default = make(mask_bias=-4.0), make(init="default", mask_bias=-4.0)
    for model in (paper, default):
        assert torch.all(model.mask_head[0].bias == -4.0)
    assert paper.encoder[0].weight.std() < 0.02  # N(0, 0.01)
    assert default.encoder[0].weight.std() > 0.05  # Kaiming uniform at 48 inputs: std = 1/12


@pytest.mark.parametrize("options", [{"background": "noise"}, {"init": "xavier"}, {"upsample": "bilinear"}])
def test_config_rejects_unknown_choices(options):
    with pytest.raises(pydantic.ValidationError):
        VideoGANFutureGenerator.Config(**options)


def upsampling_layers(model):
    return [m for m in model.modules() if isinstance(m, (nn.ConvTranspose2d, nn.ConvTranspose3d, nn.Upsample))]


@pytest.mark.parametrize("background", ["learned", "input", "input_residual"])
def test_resize_upsampling_keeps_the_shapes_and_drops_every_strided_transposed_convolution(background):
    model = make(16, 32, background=background, skips=True, upsample="resize", init="default", mask_bias=-4.0).eval()
    with torch.no_grad():
        out = model(model.sample_latent(2), frames(2, 32))
    assert out.video.shape == out.parts["foreground"].shape == (2, 3, 16, 32, 32)
    assert out.parts["mask"].shape == (2, 1, 16, 32, 32)
    assert out.video.min() >= -1 and out.video.max() <= 1
    layers = upsampling_layers(model)
    # only the 3-D trunk's first layer, which stretches the code over time with stride 1, stays transposed
    assert [type(m) for m in layers if not isinstance(m, nn.Upsample)] == [nn.ConvTranspose3d]
    assert layers[0].stride == (1, 1, 1)
    resized = [m for m in layers if isinstance(m, nn.Upsample)]
    # 32 x 32 from 4 x 4: three x2 levels in the 3-D stream (each head included), and three in the 2-D one
    assert len(resized) == 3 + 1 + (3 if background != "input" else 0)
    assert all(m.scale_factor == 2 and m.mode == "nearest" for m in resized)


def test_resize_upsampling_keeps_the_mask_bias_and_the_zero_residual():
    model = make(upsample="resize", background="input_residual", init="default", mask_bias=-4.0).eval()
    assert torch.all(model.mask_head[-2].bias == -4.0)
    condition = frames()
    with torch.no_grad():
        out = model(model.sample_latent(2), condition)
    assert torch.equal(out.parts["background"], condition[:, :, -1])
    assert out.parts["mask"].max() < 0.05


def test_mask_max_bounds_the_mask_and_the_video_stays_its_composition():
    condition = frames()
    torch.manual_seed(0)  # the same weights in both models
    full = make(mask_bias=4.0).eval()
    torch.manual_seed(0)
    capped = make(mask_bias=4.0, mask_max=0.3).eval()
    with torch.no_grad():
        a, b = full(full.sample_latent(2), condition), capped(capped.sample_latent(2), condition)
    assert a.parts["mask"].min() > 0.9  # sigmoid(4) = 0.98 before the bound
    assert torch.allclose(b.parts["mask"], 0.3 * a.parts["mask"])
    f, m, bg = b.parts["foreground"], b.parts["mask"], b.parts["background"]
    assert torch.allclose(b.video, m * f + (1 - m) * bg.unsqueeze(2))


def test_noise_makes_several_futures_of_one_frame():
    model = make(noise=8, init="default").eval()
    assert model.sample_latent(3, torch.Generator().manual_seed(0)).shape == (3, 8)
    condition = frames(1).expand(2, -1, -1, -1, -1)
    with torch.no_grad():
        z = model.sample_latent(2, torch.Generator().manual_seed(0))
        out = model(z, condition)
        again = model(z, condition)
    assert (out.video[0] - out.video[1]).abs().mean() > 1e-3  # two latents, two futures
    assert torch.equal(out.video, again.video)  # a latent is one future
    assert torch.equal(out.parts["background"][0], out.parts["background"][1])  # the noise moves, the court stays


def test_noise_reaches_its_input_layer():
    model = make(noise=4)
    model(model.sample_latent(2), frames()).video.sum().backward()
    assert model.noise_in.weight.grad.abs().sum() > 0


def real_clips(count=2, frames=4, size=16, seed=1):
    return torch.rand(count, 3, frames, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


def test_the_posterior_draws_z_from_the_real_clip_and_adds_its_kl_term():
    model = make(noise=4, posterior=True, kl_weight=0.5, init="default")
    assert model.infers_latent and not make(noise=4).infers_latent
    real = real_clips()
    z = model.sample_latent(2, torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    trained = model(z, real[:, :, :1], real)
    torch.manual_seed(0)
    mean, log_variance = model.posterior.out(model.posterior.encoder(real.flatten(1, 2)).flatten(1)).chunk(2, dim=1)
    kl = 0.5 * (mean.pow(2) + log_variance.exp() - log_variance - 1).sum(1).mean()
    assert torch.allclose(trained.losses["kl"], 0.5 * kl)
    # The passed z is ignored: another z, the same posterior draw, the same video.
    other = model.sample_latent(2, torch.Generator().manual_seed(1))
    torch.manual_seed(0)
    assert torch.equal(model(other, real[:, :, :1], real).video, trained.video)
    trained.video.sum().backward()
    assert model.posterior.encoder[0].weight.grad.abs().sum() > 0  # the reconstruction reaches the encoder


def test_without_the_real_clip_the_posterior_model_samples_its_prior():
    model = make(noise=4, posterior=True, init="default").eval()
    context, real = frames(), real_clips()
    z = model.sample_latent(2, torch.Generator().manual_seed(0))
    with torch.no_grad():
        sampled = model(z, context)
        inferred = model(z, context, real)
    assert "kl" not in sampled.losses and "kl" in inferred.losses
    assert torch.equal(sampled.video, model(z, context).video)  # z alone decides the future
    assert not torch.equal(sampled.video, inferred.video)


def test_total_variation_is_the_mean_difference_between_neighbouring_flows():
    flow = torch.zeros(1, 2, 1, 4, 4)
    assert total_variation(flow) == 0
    flow[..., :, 2:] = 1.0  # the right half moves: one step between columns 1 and 2, in both channels
    assert total_variation(flow).item() == pytest.approx(1 / 3)  # 1 of 3 horizontal neighbours differ, by 1
    flow[..., 2:, :] += 1.0  # and the bottom half
    assert total_variation(flow).item() == pytest.approx(2 / 3)


@pytest.mark.parametrize("foreground", ["warped", "velocity", "splatted"])
def test_flow_smoothness_weights_the_flows_total_variation(foreground):
    model = make(context=2, foreground=foreground, flow_smoothness=0.5, init="default")
    assert "flow_smoothness" not in make(context=2, foreground=foreground)(torch.zeros(2, 0), frames(context=2)).losses
    for parameter in model.warp.parameters():  # a field that moves, so that the flow varies
        torch.nn.init.normal_(parameter, std=0.1)
    out = model(torch.zeros(2, 0), frames(context=2))
    penalty = out.losses["flow_smoothness"]
    assert penalty.item() == pytest.approx(0.5 * total_variation(out.parts["flow"]).item()) and penalty > 0
    out.losses["flow_smoothness"].backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.warp.parameters())


@pytest.mark.parametrize("upsample", ["transposed", "resize"])
def test_an_untrained_warp_copies_the_input_frame(upsample):
    model = make(16, 32, foreground="warped", background="input_residual", upsample=upsample, noise=4).eval()
    assert not hasattr(model, "foreground_head")
    condition = frames(2, 32)
    with torch.no_grad():
        out = model(model.sample_latent(2), condition)
    assert out.parts["flow"].shape == (2, 2, 16, 32, 32)
    assert torch.equal(out.parts["flow"], torch.zeros_like(out.parts["flow"]))
    assert torch.allclose(out.parts["foreground"], copy_first_frame(condition, 16), atol=1e-5)
    assert torch.allclose(
        out.video, copy_first_frame(condition, 16), atol=1e-5
    )  # whatever the mask: both are the frame


def test_warp_moves_pixels_by_the_flow():
    frame = torch.zeros(1, 3, 8, 8)
    frame[:, :, 2, 3] = 1.0  # one bright pixel at row 2, column 3
    flow = torch.zeros(1, 2, 2, 8, 8)
    flow[:, 0, 1] = -2 * 2 / 8  # frame 1 samples two pixels to the left: the pixel appears 2 columns right
    flow[:, 1, 1] = -1 * 2 / 8  # and one row up: it appears 1 row down
    moved = warp(frame, flow)
    assert torch.allclose(moved[:, :, 0], frame, atol=1e-6)
    expected = torch.zeros(1, 3, 8, 8)
    expected[:, :, 3, 5] = 1.0
    assert torch.allclose(moved[:, :, 1], expected, atol=1e-6)


def test_the_warp_learns_from_the_video():
    model = make(foreground="warped")
    out = model(model.sample_latent(2), frames())
    out.video.sum().backward()
    assert model.warp.flow[-2].weight.grad.abs().sum() > 0
    assert model.encoder[0].weight.grad.abs().sum() > 0


@pytest.mark.parametrize("context", [1, 2])
def test_an_untrained_velocity_warp_copies_the_last_context_frame(context):
    model = make(16, 32, context, foreground="velocity", background="input_residual", noise=4).eval()
    assert not hasattr(model, "foreground_head")
    condition = frames(2, 32, context=context)
    with torch.no_grad():
        out = model(model.sample_latent(2), condition)
    assert out.parts["flow"].shape == (2, 2, 16, 32, 32)
    assert torch.equal(out.parts["flow"], torch.zeros_like(out.parts["flow"]))
    assert torch.allclose(out.video, condition[:, :, -1:].expand(-1, -1, 16, -1, -1), atol=1e-5)


@pytest.mark.parametrize("context", [1, 2])
def test_the_velocity_flow_grows_in_step_with_the_frames_since_the_last_context_frame(context):
    model = make(8, 16, context, foreground="velocity")
    nn.init.normal_(model.warp.velocity[-2].weight)  # some field, not the still start
    with torch.no_grad():
        flow = model(model.sample_latent(2), frames(2, 16, context=context)).parts["flow"]
    velocity = flow[:, :, context] - flow[:, :, context - 1]
    assert velocity.abs().max() > 1e-3
    assert torch.equal(flow[:, :, context - 1], torch.zeros_like(velocity))  # the last context frame stays put
    for t in range(8):
        assert torch.allclose(flow[:, :, t], (t - context + 1) * velocity, atol=1e-5)


def test_the_velocity_field_learns_from_the_video():
    model = make(foreground="velocity")
    model(model.sample_latent(2), frames()).video.sum().backward()
    assert model.warp.velocity[-2].weight.grad.abs().sum() > 0


def test_splatting_carries_each_pixel_forward_by_its_flow():
    values = torch.zeros(1, 1, 8, 8)
    values[:, :, 2, 3] = 1.0  # one bright pixel at row 2, column 3
    flow = torch.zeros(1, 2, 3, 8, 8)
    flow[:, 0, 1] = 2 * 2 / 8  # frame 1: two columns right
    flow[:, 1, 1] = 1 * 2 / 8  # and one row down
    flow[:, 0, 2] = 0.5 * 2 / 8  # frame 2: half a column right, shared between two pixels
    moved = splat(values, flow)
    assert torch.equal(moved[:, :, 0], values)
    assert moved[0, 0, 1, 3, 5] == 1.0 and moved[:, :, 1].sum() == 1.0
    assert torch.allclose(moved[0, 0, 2, 2, 3:5], torch.tensor([0.5, 0.5])) and moved[:, :, 2].sum() == 1.0
    flow[:, 0, 2] = 2.0  # a whole frame to the right: off the edge, lost
    assert splat(values, flow)[:, :, 2].sum() == 0


def test_matching_costs_are_lowest_at_the_shift_a_pixel_moved_by():
    before, frame = torch.zeros(1, 3, 8, 8), torch.zeros(1, 3, 8, 8)
    before[..., 3, 3] = 1.0
    frame[..., 4, 5] = 1.0  # two columns right, one row down
    costs = matching_costs(frame, before)
    assert costs.shape == (1, 25, 8, 8)
    assert costs[0, :, 4, 5].argmin() == (1 + 2) * 5 + (2 + 2)  # row-major over (dy, dx) in -2..2
    assert costs[0, :, 4, 5].min() == 0 and costs[0, :, 4, 5].max() == 1


@pytest.mark.parametrize("context", [1, 2])
def test_an_untrained_splatted_foreground_copies_the_last_context_frame(context):
    model = make(16, 32, context, foreground="splatted", background="input_residual", mask_bias=-4, noise=4).eval()
    assert not hasattr(model, "foreground_head") and not hasattr(model, "mask_head")
    condition = frames(2, 32, context=context)
    with torch.no_grad():
        out = model(model.sample_latent(2), condition)
    assert torch.equal(out.parts["flow"], torch.zeros_like(out.parts["flow"]))
    assert out.parts["mask"].shape == (2, 1, 16, 32, 32) and out.parts["mask"].max() < 0.02  # sigmoid(-4)
    assert torch.allclose(out.video, condition[:, :, -1:].expand(-1, -1, 16, -1, -1), atol=1e-5)


def moving_square(shift=(1, 0), size=16):
    """Two frames (1, 3, 2, size, size): a 3 x 3 square of three shades, column by column, on a dark floor,
    moved by ``shift`` (dx, dy), so that each of its pixels matches the frame before at that shift only."""
    clip = torch.full((1, 3, 2, size, size), -1.0)
    shades = torch.tensor([0.9, 0.3, -0.3]).expand(3, 3)
    clip[:, :, 0, 6:9, 6:9] = shades
    clip[:, :, 1, 6 + shift[1] : 9 + shift[1], 6 + shift[0] : 9 + shift[0]] = shades
    return clip


def test_matched_motion_reads_the_velocity_and_what_moves_off_the_costs():
    clip = moving_square((1, 0))
    velocity, moving = matched_motion(matching_costs(clip[:, :, 1], clip[:, :, 0]))
    assert velocity.shape == (1, 2, 16, 16) and moving.shape == (1, 1, 16, 16)
    assert torch.allclose(velocity[0, :, 7, 8], torch.tensor([1.0, 0.0]), atol=1e-3)  # inside the square: one right
    assert moving[0, 0, 7, 9] > 0 and moving[0, 0, 7, 8] > 0  # the square's pixels moved
    assert moving[0, 0, 0, 0] < 0  # the floor far away did not


def test_an_untrained_matched_splatted_foreground_carries_the_moving_pixels_forward():
    model = make(8, 16, 2, foreground="splatted", matched_motion=True, mask_bias=0, mask_max=1).eval()
    clip = moving_square((1, 0))
    with torch.no_grad():
        out = model(torch.zeros(1, 0), clip)
    velocity, _ = matched_motion(matching_costs(clip[:, :, 1], clip[:, :, 0]))
    flow = out.parts["flow"]  # frame t moved by (t - 1) * v, in normalised units (pixels / 8 here)
    assert torch.allclose(flow[:, :, 3] * 8, 2 * velocity, atol=1e-4)
    # Two frames on, the square's columns are two pixels further right, in their shades.
    assert torch.allclose(out.video[0, :, 3, 7, 9:12], torch.tensor([0.9, 0.3, -0.3]).expand(3, 3), atol=0.05)


def test_an_inpainted_background_keeps_every_pixel_that_does_not_move_away():
    model = make(8, 16, 2, foreground="splatted", matched_motion=True, mask_bias=0, background="inpainted").eval()
    nn.init.constant_(model.background[-1][-2].bias, 0.5)  # a residual that would repaint the whole frame
    clip = moving_square((1, 0))
    with torch.no_grad():
        out = model(torch.zeros(1, 0), clip)
    last, background = clip[:, :, -1], out.parts["background"]
    # the floor far from the square stays (its moving mask is sigmoid(-5): 0.5 of residual leaks 0.003)
    assert torch.allclose(background[..., :4, :], last[..., :4, :], atol=0.005)
    assert (background[..., 6:9, 7:10] - last[..., 6:9, 7:10]).abs().amax() > 0.3  # where the square leaves, in-painted


def test_fill_radius_fills_the_ground_a_mover_leaves_from_the_still_pixels_around_it():
    model = make(
        8, 16, 2, foreground="splatted", matched_motion=True, mask_bias=0, background="inpainted", fill_radius=3
    )
    clip = moving_square((1, 0))
    with torch.no_grad():
        out = model.eval()(torch.zeros(1, 0), clip)
    background = out.parts["background"]
    # the untrained residual is zero: where the square stood, the dark floor around it, not the square's shades
    assert torch.allclose(background[..., 6:9, 7:10], torch.full((1, 3, 3, 3), -1.0), atol=0.02)
    assert torch.allclose(background[..., :4, :], clip[:, :, -1, :4, :], atol=0.005)  # what stays is kept


def test_a_hard_mask_moves_each_pixel_whole_or_not_at_all_and_still_learns():
    model = make(8, 16, 2, foreground="splatted", matched_motion=True, mask_bias=0, hard_mask=True)
    seen = {}
    model.warp.register_forward_hook(lambda module, args, out: seen.update(moving=out[3]))
    model(torch.zeros(1, 0), moving_square((1, 0))).video.sum().backward()
    assert seen["moving"].unique().tolist() == [0.0, 1.0]  # the floor stays, the square moves, nothing in between
    assert model.warp.field[-1].weight.grad.abs().sum() > 0  # the gradient passes the rounding (straight-through)


def test_max_speed_bounds_the_splatted_velocity_in_pixels_per_frame():
    model = make(8, 16, 2, foreground="splatted", matched_motion=True, mask_bias=0, max_speed=0.5).eval()
    with torch.no_grad():
        out = model(torch.zeros(1, 0), moving_square((2, 0)))
    speed = (out.parts["flow"][:, :, 2] - out.parts["flow"][:, :, 1]) * 8  # pixels per frame at 16 pixels
    assert speed.abs().amax() <= 0.5 + 1e-5
    assert torch.allclose(speed[0, 0, 7, 9], torch.tensor(0.5), atol=1e-3)  # the square ran 2: held at 0.5


def test_pooled_velocities_are_shared_by_the_moving_pixels_nearby():
    moving = torch.zeros(1, 1, 8, 8)
    moving[..., 2:5, 2:5] = 1
    velocity = torch.randn(1, 2, 8, 8, generator=torch.Generator().manual_seed(0))
    pooled = local_mean(velocity, moving, radius=2)
    inside = velocity[..., 2:5, 2:5].mean(dim=(-2, -1))
    assert torch.allclose(pooled[..., 3, 3], inside, atol=1e-5)  # the whole 3 x 3 mover is within reach
    assert torch.allclose(pooled[..., 2:5, 3], inside.unsqueeze(-1).expand(1, 2, 3), atol=1e-5)
    assert torch.equal(pooled[..., 7, 7], velocity[..., 7, 7])  # nothing near moves: kept


def test_velocity_noise_moves_the_samples_of_one_frame_in_different_directions_within_the_bound():
    model = make(8, 16, foreground="splatted", noise=4, velocity_noise=2, max_speed=1.0).eval()
    assert "warp.velocity_draw" in model.state_dict()  # fixed, not trained, but kept with the weights
    assert not any(p is model.warp.velocity_draw for p in model.parameters())
    context = frames(1).expand(2, -1, -1, -1, -1)
    z = torch.tensor([[1.0, 0, 0, 0], [-1.0, 0, 0, 0]])
    with torch.no_grad():
        flow = model(z, context).parts["flow"]
    speed = (flow[:, :, 2] - flow[:, :, 1]) * 8  # pixels per frame at 16 pixels
    assert speed.abs().amax() <= 1.0 + 1e-5
    # the untrained field predicts no velocity: what moves is z's, one velocity per 8 x 8 cell, opposite for -z
    assert torch.allclose(speed[0], -speed[1], atol=1e-5) and speed[0].abs().amax() > 0.1
    assert torch.allclose(speed[0, :, :8, :8], speed[0, :, :1, :1].expand(2, 8, 8), atol=1e-5)


@pytest.mark.parametrize(
    "options, context, message",
    [
        ({"background": "inpainted"}, 2, "inpainted fills in behind foreground: splatted"),
        ({"velocity_noise": 4, "noise": 8}, 1, "velocity_noise is for foreground: splatted"),
        ({"velocity_noise": 4, "foreground": "splatted"}, 1, "velocity_noise draws a velocity from z: it needs noise"),
        ({"max_speed": 1.0}, 2, "max_speed is for foreground: splatted"),
        ({"fill_radius": 2, "background": "input_residual"}, 2, "fill_radius fills the ground behind background: in"),
        ({"velocity_pooling": 2, "foreground": "warped"}, 2, "velocity_pooling is for foreground: splatted"),
        ({"matched_motion": True}, 2, "matched_motion is for foreground: splatted"),
        ({"hard_mask": True, "foreground": "warped"}, 2, "hard_mask is for foreground: splatted"),
        ({"matched_motion": True, "foreground": "splatted"}, 1, "reads the motion between two context frames"),
    ],
)
def test_matched_motion_needs_the_splatted_foreground_and_two_context_frames(options, context, message):
    with pytest.raises((pydantic.ValidationError, ValueError), match=message):
        config = VideoGANFutureGenerator.Config(**options)
        VideoGANFutureGenerator.check_clip(config, ClipSpec(8, 16, context))


def test_the_splatted_field_learns_from_the_video():
    model = make(foreground="splatted")
    model(model.sample_latent(2), frames()).video.sum().backward()
    assert model.warp.field[-1].weight.grad.abs().sum() > 0


def test_the_old_name_of_the_context_weight_says_its_new_name():
    with pytest.raises(pydantic.ValidationError, match="lambda_rec was renamed context_weight"):
        VideoGANFutureGenerator.Config(lambda_rec=10.0)


@pytest.mark.parametrize("background", ["learned", "input", "input_residual"])
def test_two_context_frames_enter_the_encoder_stacked_and_the_background_starts_from_the_last(background):
    model = make(context=2, background=background, init="default", mask_bias=-4.0).eval()
    assert model.encoder[0].in_channels == 6
    condition = frames(context=2)
    with torch.no_grad():
        out = model(model.sample_latent(2), condition)
        moved = model(model.sample_latent(2), torch.cat([condition[:, :, :1].flip(0), condition[:, :, 1:]], 2))
    assert out.video.shape == (2, 3, 4, 16, 16)
    if background != "learned":
        assert torch.equal(out.parts["background"], condition[:, :, -1])
    assert not torch.allclose(out.parts["mask"], moved.parts["mask"])  # the earlier frame matters too
