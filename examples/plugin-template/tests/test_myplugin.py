"""The plugin registers through its entry point, and its generator keeps vpkit's contract."""

from vpkit import ClipSpec
from vpkit.plugins import registry
from vpkit_myplugin.generator import MyGenerator


def test_registered_through_the_entry_point():
    assert registry("generator").providers["my_generator"] == "myplugin"


def test_generator_makes_videos_in_range():
    clip = ClipSpec(frames=4, size=8)
    generator = MyGenerator(MyGenerator.Config(), clip)
    video = generator(generator.sample_latent(2)).video
    assert video.shape == (2, 3, 4, 8, 8)
    assert video.min() >= -1 and video.max() <= 1
