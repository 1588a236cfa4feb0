"""Trainer objectives, for any model: the adversarial losses, the R1 penalty, and the
generator objectives beside the adversarial loss.

The reconstruction loss compares a conditional generator's whole prediction with the real clip
whose first frame conditioned it. It is what makes a small conditional model beat the
copy-the-first-frame baseline within a CPU budget (issue 10): the adversarial loss alone does
not tell the generator which future goes with its input frame. A pixel distance alone is
minimised by blurring what it cannot predict; the gradient-difference loss of Mathieu, Couprie
and LeCun ("Deep multi-scale video prediction beyond mean square error", ICLR 2016) beside it
asks the prediction's edges to be as sharp as the real clip's.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

#: Reconstruction distances by the names the run file uses (``train.reconstruction.loss``), per pixel.
DISTANCES = {
    "l1": lambda prediction, real: (prediction - real).abs(),
    "l2": lambda prediction, real: (prediction - real).pow(2),
}


def each_sample(batch: torch.Tensor, samples: int) -> torch.Tensor:
    """``batch`` repeated ``samples`` times, sample-major: row ``s * B + i`` is row ``i``, the layout in which
    the trainer draws several predictions of each context and :func:`reconstruction_loss` reads them."""
    return batch.repeat(samples, *([1] * (batch.dim() - 1)))


def block_average(video: torch.Tensor, block: int) -> torch.Tensor:
    """The (B, C, T, H, W) video with each frame averaged over ``block`` x ``block`` pixel blocks
    (``train.reconstruction.block``); block 1 is the video itself."""
    return F.avg_pool3d(video, (1, block, block)) if block > 1 else video


def reconstruction_loss(
    prediction: torch.Tensor,
    real: torch.Tensor,
    distance: str,
    gradient: float = 0.0,
    samples: int = 1,
    scales: int = 1,
    block: int = 1,
) -> torch.Tensor:
    """Mean ``distance`` ("l1" or "l2") over every pixel of every frame of two (B, 3, T, H, W) videos,
    plus ``gradient`` times their :func:`gradient_difference`.

    With ``samples`` k > 1, ``prediction`` holds k predictions of each real clip, sample-major
    (``prediction[s * B + i]`` is sample ``s`` of clip ``i``), and each clip counts its closest
    sample only: a model with noise is then not pulled towards the average of its futures.

    With ``scales`` n > 1 the distance is the mean of the distances between the two videos with
    their frames averaged over 1 x 1, 2 x 2, ... 2^(n-1) x 2^(n-1) pixel blocks (see :func:`pyramid`);
    with ``block`` b > 1 the scales start from frames averaged over b x b blocks.
    """
    expected = (samples * real.shape[0], *real.shape[1:])
    if prediction.shape != expected:
        raise ValueError(
            f"prediction {tuple(prediction.shape)} does not hold {samples} of each real clip {tuple(real.shape)}"
        )
    real = each_sample(real, samples)
    finest = [block_average(video, block) for video in (prediction, real)]
    per_clip = (
        sum(
            DISTANCES[distance](predicted, target).flatten(1).mean(1)
            for predicted, target in zip(*(pyramid(video, scales) for video in finest), strict=True)
        )
        / scales
    )
    if gradient:
        per_clip = per_clip + gradient * gradient_differences(prediction, real)
    return per_clip.view(samples, -1).min(dim=0).values.mean()


def pyramid(video: torch.Tensor, scales: int) -> list[torch.Tensor]:
    """``video`` (B, C, T, H, W), then its frames averaged over 2 x 2 pixel blocks, and so on: ``scales`` videos.

    A pixel distance between a prediction and its real clip is lowest, for a mover whose place is
    uncertain by a pixel or two, where the mover is erased or faded: its sharp outline overlaps the
    real one too little. Averaged over blocks as wide as that uncertainty the two overlap again,
    so the coarser scales pay for putting the mover near its place, at full strength, rather than
    for a fade (the multi-scale losses of image and video prediction rest on the same fact).
    """
    levels = [video]
    for _ in range(scales - 1):
        levels.append(F.avg_pool3d(levels[-1], (1, 2, 2)))  # each frame on its own: time is not pooled
    return levels


def horizon(step: int, warmup: int, context: int, frames: int) -> int:
    """How many frames of a clip the reconstruction loss scores at ``step`` (1-based) of a horizon
    curriculum of ``warmup`` steps: the ``context`` frames and the first predicted frame at the start,
    one more predicted frame each ``warmup / (frames - context)`` steps, the whole clip from ``warmup`` on."""
    if step >= warmup:
        return frames
    return context + 1 + (frames - context - 1) * step // warmup


def gradient_difference(prediction: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Mathieu et al.'s gradient-difference loss with alpha = 1, as a mean: ``| |dY| - |dŶ| |`` over the
    differences between neighbouring pixels, along height and width, of every frame of two (B, ..., H, W) videos.

    It is zero for any prediction whose edges have the real clip's strengths where the real
    clip has them, so unlike a pixel distance it does not reward a blur.
    """
    return gradient_differences(prediction, real).mean()


def gradient_differences(prediction: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """:func:`gradient_difference` of each video of the batch, (B,)."""
    loss = prediction.new_zeros(prediction.shape[0])
    for axis in (-2, -1):
        loss = loss + (real.diff(dim=axis).abs() - prediction.diff(dim=axis).abs()).abs().flatten(1).mean(1)
    return loss


# --- adversarial objectives (``train.objective``) and the R1 penalty (``train.r1``)
#
# Both take the discriminator's logits. "bce" is the paper's: binary cross-entropy on logits,
# with the non-saturating generator loss -log D(G(z)) (Goodfellow et al. 2014; Vondrick et al.
# 2016). "hinge" is the hinge loss of geometric GANs and SAGAN/BigGAN: the discriminator only
# pushes logits to +-1 and no further, so it saturates less on small data.


def discriminator_loss(objective: str, logits_real: torch.Tensor, logits_fake: torch.Tensor) -> torch.Tensor:
    """The discriminator's loss on real and generated logits under ``objective`` ("bce" or "hinge")."""
    if objective == "hinge":
        return F.relu(1 - logits_real).mean() + F.relu(1 + logits_fake).mean()
    return F.softplus(-logits_real).mean() + F.softplus(logits_fake).mean()


def generator_adversarial_loss(objective: str, logits_fake: torch.Tensor) -> torch.Tensor:
    """The generator's adversarial loss on the logits of its videos under ``objective``."""
    if objective == "hinge":
        return -logits_fake.mean()
    return F.softplus(-logits_fake).mean()


def r1_penalty(logits_real: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of the squared norm of d(logit)/d(real clip) (Mescheder et al. 2018).

    ``real`` must require gradients and ``logits_real`` come from it. The trainer adds
    ``r1 / 2`` times this to the discriminator's loss: it flattens the discriminator around
    the real clips, which keeps it from overshooting and the pair from oscillating.
    """
    (gradient,) = torch.autograd.grad(logits_real.sum(), real, create_graph=True)
    return gradient.pow(2).flatten(1).sum(1).mean()
