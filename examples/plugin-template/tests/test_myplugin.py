"""The plugin registers through its entry point, and each component keeps vpkit's contract."""

import numpy as np
import pytest
import torch
from vpkit_myplugin.generator import MyGenerator
from vpkit_myplugin.metric import MyMetric
from vpkit_myplugin.source import MySource

from vpkit import ClipSpec, ClipStore, ClipWriter
from vpkit.plugins import registry

CLIP = ClipSpec(frames=4, size=8)


@pytest.mark.parametrize(
    "kind, name", [("source", "my_source"), ("generator", "my_generator"), ("metric", "my_metric")]
)
def test_registered_through_the_entry_point(kind, name):
    assert registry(kind).providers[name] == "myplugin"


def test_generator_makes_videos_in_range():
    generator = MyGenerator(MyGenerator.Config(), CLIP)
    video = generator(generator.sample_latent(2)).video
    assert video.shape == (2, 3, 4, 8, 8)
    assert video.min() >= -1 and video.max() <= 1


def test_source_fills_both_splits_of_a_store(tmp_path):
    writer = ClipWriter(tmp_path, CLIP, {"source": "my_source"})
    MySource(MySource.Config(clips=20), CLIP).prepare(writer)
    store = writer.finish()
    assert isinstance(store, ClipStore)
    assert (len(store.split("train")), len(store.split("val"))) == (12, 8)
    clips = store.split("train").gather(range(12))
    assert clips.dtype == np.uint8 and clips.shape == (12, 4, 8, 8, 3)
    assert not np.array_equal(clips[:, 0], clips[:, 1])  # the bar moves


def test_metric_is_zero_for_a_perfect_prediction_and_grows_with_the_error():
    metric = MyMetric(MyMetric.Config(), CLIP)
    real = torch.zeros(2, 3, 4, 8, 8)
    metric.update(real, real)
    assert metric.compute()["my_metric"] == 0
    metric.reset()
    metric.update(real, real + 0.5)
    assert metric.compute() == pytest.approx({"my_metric": 0.5, "videos": 2})
