"""VideoGAN (Vondrick et al., NIPS 2016) as a vpkit plugin: generators (unconditional and
future-from-one-frame) and the discriminator.

The hooks register torch-free declarations; each network's module (and torch) is imported
only when a run builds it.
"""

from vpkit import hookimpl


@hookimpl
def register_generators(register):
    from vpkit_videogan.declarations import VideoGANFutureGeneratorDeclaration, VideoGANGeneratorDeclaration

    register(VideoGANGeneratorDeclaration)
    register(VideoGANFutureGeneratorDeclaration)


@hookimpl
def register_discriminators(register):
    from vpkit_videogan.declarations import VideoGANDiscriminatorDeclaration

    register(VideoGANDiscriminatorDeclaration)
