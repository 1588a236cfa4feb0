"""Video metrics as a vpkit plugin: FVD (distributional), LPIPS, SSIM and PSNR (paired)."""

from vpkit import hookimpl
from vpkit_metrics.fvd import FVD
from vpkit_metrics.lpips_metric import LPIPS
from vpkit_metrics.psnr import PSNR
from vpkit_metrics.ssim import SSIM

__all__ = ["FVD", "LPIPS", "PSNR", "SSIM"]


@hookimpl
def register_metrics(register):
    for metric in (FVD, LPIPS, SSIM, PSNR):
        register(metric)
