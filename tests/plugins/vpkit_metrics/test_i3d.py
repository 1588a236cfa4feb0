import pytest
import torch
import torch.nn.functional as F
from vpkit_metrics.declarations import MIN_FRAMES
from vpkit_metrics.i3d import InceptionI3d, MaxPoolSame, padded, same_padding
from vpkit_metrics.tf_resize import resize_bilinear, resize_matrix


@pytest.fixture(scope="module")
def network():
    torch.manual_seed(0)
    return InceptionI3d().eval()


def test_parameter_names_and_count_follow_the_reference_conversion(network):
    state = network.state_dict()
    # names from VideoGPT's convert_tf_pretrained.py (piergiaj/pytorch-i3d layout)
    assert state["Conv3d_1a_7x7.conv3d.weight"].shape == (64, 3, 7, 7, 7)
    assert state["Conv3d_2c_3x3.bn.running_var"].shape == (192,)
    assert state["Mixed_3b.b1b.conv3d.weight"].shape == (128, 96, 3, 3, 3)
    assert state["Mixed_5c.b3b.bn.bias"].shape == (128,)
    assert state["logits.conv3d.weight"].shape == (400, 1024, 1, 1, 1)
    assert state["logits.conv3d.bias"].shape == (400,)
    assert "Mixed_4b.b0.conv3d.bias" not in state  # only the logits layer has a conv bias
    # 12.7M float32 parameters: 50.8 MB, the size of the published 50,939,526-byte file
    assert sum(p.numel() for p in network.parameters()) == 12_697_264


def test_logits_shape(network):
    with torch.no_grad():
        out = network(torch.zeros(1, 3, MIN_FRAMES, 224, 224))
    assert out.shape == (1, 400)


def test_short_clips_get_a_clear_error(network):
    assert MIN_FRAMES == 9
    with pytest.raises(ValueError, match="I3D needs clips of at least 9 frames, got 8"):
        network(torch.zeros(1, 3, 8, 224, 224))


def test_tensorflow_same_padding():
    # TF puts the extra pixel at the end
    assert same_padding((224, 9, 56), (7, 7, 3), (2, 2, 1)) == [(2, 3), (3, 3), (1, 1)]
    assert same_padding((4,), (2,), (2,)) == [(0, 0)]


@pytest.mark.parametrize(
    "kernel, stride, sizes",
    [
        ((1, 3, 3), (1, 2, 2), (8, 112, 112)),
        ((3, 3, 3), (1, 1, 1), (8, 28, 28)),
        ((3, 3, 3), (2, 2, 2), (8, 28, 28)),
        ((2, 2, 2), (2, 2, 2), (4, 14, 14)),
        ((3, 3, 3), (2, 2, 2), (5, 9, 9)),
    ],
)
def test_max_pool_same_is_the_pool_of_a_padded_copy(kernel, stride, sizes):
    """Padding inside the pool gives exactly the maximum over a copy padded with -inf, and, on the
    non-negative activations the network pools (outputs of ReLU), over a copy padded with zeros."""
    x = torch.rand(1, 2, *sizes)
    pads = same_padding(sizes, kernel, stride)
    pooled = MaxPoolSame(kernel, stride)(x)
    assert torch.equal(pooled, F.max_pool3d(padded(x, pads, float("-inf")), kernel, stride))
    assert torch.equal(pooled, F.max_pool3d(padded(x, pads), kernel, stride))


def test_resize_follows_tf1_resize_bilinear():
    # TF1 align_corners=False: output i samples input i * in / out, upper neighbour clamped.
    expected = torch.tensor([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]])
    torch.testing.assert_close(resize_matrix(2, 4), expected)
    frame = torch.arange(16.0).view(1, 4, 4)
    torch.testing.assert_close(resize_bilinear(frame, (4, 4)), frame)
    assert resize_bilinear(torch.zeros(2, 3, 5, 64, 48), (224, 224)).shape == (2, 3, 5, 224, 224)
