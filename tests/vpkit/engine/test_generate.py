"""Generation from a generator: ``generate`` (one seed draws a batch) and ``generate_each`` (a seed per video)."""

import pytest
import torch
from vpkit_videogan.future import VideoGANFutureGenerator
from vpkit_videogan.generator import VideoGANGenerator

from vpkit import ClipSpec
from vpkit.engine.generate import generate, generate_each

CLIP = ClipSpec(4, 16)


def test_generate_each_gives_every_seed_the_video_it_gets_alone():
    torch.manual_seed(0)
    generator = VideoGANGenerator(VideoGANGenerator.Config(width=0.125), CLIP).eval()
    seeds = [3, 5, 3]
    together = generate_each(generator, seeds)
    assert together.video.shape == (3, 3, 4, 16, 16) and together.parts["mask"].shape[0] == 3
    for i, seed in enumerate(seeds):
        torch.testing.assert_close(
            together.video[i : i + 1], generate(generator, 1, seed=seed).video, atol=1e-5, rtol=0
        )
    assert torch.equal(together.video[0], together.video[2])
    assert not torch.allclose(together.video[0], together.video[1])


def test_generate_each_conditional_pairs_each_seed_with_its_frame():
    torch.manual_seed(0)
    generator = VideoGANFutureGenerator(VideoGANFutureGenerator.Config(width=0.125), CLIP).eval()
    frames = torch.rand(2, 3, 1, 16, 16) * 2 - 1
    together = generate_each(generator, [0, 1], frames)
    for i in range(2):
        alone = generate(generator, 1, frames[i : i + 1], seed=i)
        torch.testing.assert_close(together.video[i : i + 1], alone.video, atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match="conditional: it needs context frames"):
        generate_each(generator, [0])
