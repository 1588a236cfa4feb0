import numpy as np
import pytest
import torch
from vpkit_metrics.fvd import FVD, preprocess

from vpkit import ClipSpec


def _videos(seed, count=2, frames=9, size=16):
    rng = torch.Generator().manual_seed(seed)
    return torch.rand(count, 3, frames, size, size, generator=rng) * 2 - 1


@pytest.fixture
def fvd(i3d_weights):
    return FVD(FVD.Config(weights=str(i3d_weights), warn_below=4), ClipSpec(9, 16))


def test_short_clips_are_refused_up_front():
    with pytest.raises(ValueError, match="FVD's I3D needs clips of at least 9 frames, got 4"):
        FVD.check_clip(FVD.Config(), ClipSpec(4, 16))


def test_preprocessing_quantises_resizes_and_rescales():
    video = torch.full((1, 3, 2, 8, 8), 0.5)
    out = preprocess(video)
    assert out.shape == (1, 3, 2, 224, 224)
    torch.testing.assert_close(out, torch.full_like(out, round(1.5 * 127.5) / 127.5 - 1))


def test_fvd_result_carries_counts_protocol_and_warnings(fvd):
    fvd.update(_videos(0), _videos(1))
    result = fvd.compute()
    assert result["fvd"] >= 0 and result["real_videos"] == 2 and result["generated_videos"] == 2
    assert result["covariance"] == "unbiased (N - 1)"
    assert "biased upwards" in result["warning"] and "differ from the pinned reference" in result["warning"]
    # what the engine caches: the real set's features, keyed by the weights' hash
    state = fvd.real_state()
    assert state["features"].shape == (2, 400)
    assert fvd.real_key()["weights_sha256"] == result["weights_sha256"]
    # a second metric fed the cached real state and the same generated videos agrees
    again = FVD(fvd.config, fvd.clip)
    again.load_real_state(state)
    again.update(None, _videos(1))
    assert again.compute()["fvd"] == result["fvd"]


def test_one_video_is_refused_in_words_of_videos(fvd):
    fvd.update(_videos(0, count=1), None)
    with pytest.raises(ValueError, match="^FVD needs at least 2 real videos to fit a covariance, got 1$"):
        fvd.compute()


@pytest.mark.parametrize(
    "state",
    [
        {"features": np.zeros((5, 3))},  # another feature size
        {"features": np.zeros(400)},
        {"features": np.zeros((1, 400))},
    ],
)
def test_cached_features_that_do_not_fit_are_refused(state):
    fvd = FVD(FVD.Config(), ClipSpec(9, 16))
    with pytest.raises(ValueError, match="are not 400 I3D features of 2 or more videos"):
        fvd.load_real_state(state)
