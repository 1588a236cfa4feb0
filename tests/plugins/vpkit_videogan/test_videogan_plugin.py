import vpkit_videogan

from vpkit import Discriminator, Generator
from vpkit.plugins import implementation


def test_registers_two_generators_and_one_discriminator():
    generators, discriminators = [], []
    vpkit_videogan.register_generators(generators.append)
    vpkit_videogan.register_discriminators(discriminators.append)
    assert [g.name for g in generators] == ["videogan", "videogan_future"]
    assert discriminators[0].name == "videogan"
    assert [g.conditional for g in generators] == [False, True]
    built = [implementation("generator", g) for g in generators]
    assert all(issubclass(g, Generator) for g in built)
    assert issubclass(implementation("discriminator", discriminators[0]), Discriminator)
    assert [g.__name__ for g in built] == ["VideoGANGenerator", "VideoGANFutureGenerator"]
