import vpkit_videogan
from vpkit import Discriminator, Generator


def test_registers_one_generator_and_one_discriminator():
    generators, discriminators = [], []
    vpkit_videogan.register_generators(generators.append)
    vpkit_videogan.register_discriminators(discriminators.append)
    assert generators == [vpkit_videogan.VideoGANGenerator]
    assert discriminators == [vpkit_videogan.VideoGANDiscriminator]
    assert issubclass(generators[0], Generator) and issubclass(discriminators[0], Discriminator)
    assert generators[0].name == discriminators[0].name == "videogan"
