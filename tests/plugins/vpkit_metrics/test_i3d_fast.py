"""The inference I3D computes what the reference network computes (BN folded, 1x1 convolutions
stacked, channels-last, padding inside the ops), at the sizes FVD uses and at odd ones."""

import pytest
import torch
from vpkit_metrics.i3d import InceptionI3d
from vpkit_metrics.i3d_fast import FastI3D


@pytest.fixture(scope="module")
def reference():
    """A seeded network whose batch norms have non-trivial statistics, so that folding them shows."""
    torch.manual_seed(0)
    network = InceptionI3d().eval()
    for module in network.modules():
        if isinstance(module, torch.nn.BatchNorm3d):
            module.running_mean.uniform_(-0.2, 0.2)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.2, 0.2)
    return network


@pytest.mark.parametrize("shape", [(1, 3, 10, 224, 224), (1, 3, 9, 229, 226)])
def test_same_logits_as_the_reference(reference, shape):
    videos = torch.rand(shape, generator=torch.Generator().manual_seed(1)) * 2 - 1
    with torch.no_grad():
        expected, got = reference(videos), FastI3D(reference)(videos)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, atol=1e-4, rtol=0)


def test_checks_its_input_as_the_reference_does(reference):
    with pytest.raises(ValueError, match="FVD's I3D needs clips of at least 9 frames, got 8"):
        FastI3D(reference)(torch.zeros(1, 3, 8, 224, 224))
