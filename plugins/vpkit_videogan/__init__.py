"""VideoGAN (Vondrick et al., NIPS 2016) as a vpkit plugin: generators (unconditional and
future-from-one-frame) and the discriminator."""

from vpkit import hookimpl
from vpkit_videogan.discriminator import VideoGANDiscriminator
from vpkit_videogan.future import VideoGANFutureGenerator
from vpkit_videogan.generator import VideoGANGenerator

__all__ = ["VideoGANDiscriminator", "VideoGANFutureGenerator", "VideoGANGenerator"]


@hookimpl
def register_generators(register):
    register(VideoGANGenerator)
    register(VideoGANFutureGenerator)


@hookimpl
def register_discriminators(register):
    register(VideoGANDiscriminator)
