import pytest
from vpkit_videogan.discriminator import VideoGANDiscriminator
from vpkit_videogan.generator import VideoGANGenerator
from vpkit_videogan.shapes import Pyramid

from vpkit import ClipSpec

MODELS = [VideoGANGenerator, VideoGANDiscriminator]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("frames, size", [(32, 64), (16, 32), (16, 64), (32, 32)])
def test_check_clip_accepts(model, frames, size):
    model.check_clip(model.Config(), ClipSpec(frames, size))


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    "frames, size, message",
    [
        (32, 48, "size must be a power of two >= 16, got 48"),
        (32, 8, "size must be a power of two >= 16, got 8"),
        (20, 64, "frames must be a positive multiple of 16 for size 64, got 20"),
        (8, 64, "frames must be a positive multiple of 16 for size 64, got 8"),
        (0, 32, "frames must be a positive multiple of 8 for size 32, got 0"),
    ],
)
def test_check_clip_rejects(model, frames, size, message):
    with pytest.raises(ValueError, match=message):
        model.check_clip(model.Config(), ClipSpec(frames, size))


def test_pyramid_of_paper_clip():
    pyramid = Pyramid.of(ClipSpec(32, 64))
    assert (pyramid.levels, pyramid.depth) == (4, 2)
    assert pyramid.channels(1.0) == [512, 256, 128, 64]
    assert pyramid.channels(0.25) == [128, 64, 32, 16]
    assert pyramid.channels(0.001) == [1, 1, 1, 1]


def test_constructor_rejects_bad_clip():
    with pytest.raises(ValueError, match="power of two"):
        VideoGANGenerator(VideoGANGenerator.Config(), ClipSpec(32, 48))
