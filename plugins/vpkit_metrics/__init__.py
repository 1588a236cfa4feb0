"""Video metrics as a vpkit plugin: FVD and motion (distributional), LPIPS, SSIM and PSNR (paired).

The hook registers torch-free declarations; each metric's module is imported only when
something is scored.
"""

from vpkit import hookimpl


@hookimpl
def register_metrics(register):
    from vpkit_metrics.declarations import (
        FVDDeclaration,
        LPIPSDeclaration,
        MotionDeclaration,
        PSNRDeclaration,
        SSIMDeclaration,
    )

    for metric in (FVDDeclaration, LPIPSDeclaration, SSIMDeclaration, PSNRDeclaration, MotionDeclaration):
        register(metric)
