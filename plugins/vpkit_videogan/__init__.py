"""VideoGAN (Vondrick et al., NIPS 2016) as a vpkit plugin: generator and discriminator."""

from vpkit import hookimpl
from vpkit_videogan.discriminator import VideoGANDiscriminator
from vpkit_videogan.generator import VideoGANGenerator

__all__ = ["VideoGANDiscriminator", "VideoGANGenerator"]


@hookimpl
def register_generators(register):
    register(VideoGANGenerator)


@hookimpl
def register_discriminators(register):
    register(VideoGANDiscriminator)
