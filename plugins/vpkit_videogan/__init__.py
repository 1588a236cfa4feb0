"""VideoGAN (Vondrick et al., NIPS 2016) as a vpkit plugin: generators (unconditional and
future-from-one-frame) and the discriminator.

The hooks register torch-free declarations; each network's module (and torch) is imported
only when a run builds it. The plugin also ships a trained model (``vpkit models``).
"""

from pathlib import Path

from vpkit import hookimpl

#: The trained models' folders (``vpkit export`` wrote each from a run of the example of its name).
MODELS = Path(__file__).parent / "models"


@hookimpl
def register_generators(register):
    from vpkit_videogan.declarations import VideoGANFutureGeneratorDeclaration, VideoGANGeneratorDeclaration

    register(VideoGANGeneratorDeclaration)
    register(VideoGANFutureGeneratorDeclaration)


@hookimpl
def register_discriminators(register):
    from vpkit_videogan.declarations import VideoGANDiscriminatorDeclaration

    register(VideoGANDiscriminatorDeclaration)


@hookimpl
def register_models(register):
    from vpkit import ShippedModel

    register(
        ShippedModel(
            "future_two_context_long",
            MODELS / "future_two_context_long",
            "f6127fba097076351967b0026ad8d0043ae6adb902d08783e0ab95c527dd50b4",
            "examples/future_two_context_long.yaml trained: 14 frames of 32 x 32 from two, on the synthetic court.",
        )
    )
