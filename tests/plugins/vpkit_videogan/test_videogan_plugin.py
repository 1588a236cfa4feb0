import vpkit_videogan

from vpkit import Discriminator, Generator


def test_registers_two_generators_and_one_discriminator():
    generators, discriminators = [], []
    vpkit_videogan.register_generators(generators.append)
    vpkit_videogan.register_discriminators(discriminators.append)
    assert generators == [vpkit_videogan.VideoGANGenerator, vpkit_videogan.VideoGANFutureGenerator]
    assert discriminators == [vpkit_videogan.VideoGANDiscriminator]
    assert all(issubclass(g, Generator) for g in generators) and issubclass(discriminators[0], Discriminator)
    assert [g.name for g in generators] == ["videogan", "videogan_future"]
    assert discriminators[0].name == "videogan"
