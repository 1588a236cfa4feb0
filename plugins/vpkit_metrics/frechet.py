"""Fréchet distance between two Gaussians fitted to feature sets, in float64.

    d² = |μ₁ - μ₂|² + tr(Σ₁) + tr(Σ₂) - 2 tr((Σ₁^½ Σ₂ Σ₁^½)^½)

Covariances are the unbiased estimate (divide by N - 1), as in the FVD reference
(TF-GAN's ``frechet_classifier_distance``) and pytorch-fid. The trace term uses symmetric
eigendecompositions instead of a general matrix square root: Σ₁^½ Σ₂ Σ₁^½ is symmetric
positive semi-definite, so its square root's trace is the sum of the square roots of its
eigenvalues, with round-off negatives clipped to zero. That is the same quantity as
tr(sqrtm(Σ₁ Σ₂)) (``scipy.linalg.sqrtm``) without its complex parts and singular-matrix
failures when N is smaller than the feature dimension.

With fewer videos than feature dimensions, as in a bootstrap at the usual N, the same trace
is cheaper from the features themselves: with A and B the centred features divided by
sqrt(N - 1), Σ₁ = AᵀA and Σ₂ = BᵀB, the non-zero eigenvalues of Σ₁^½ Σ₂ Σ₁^½ are the squared
singular values of A Bᵀ (N₁ x N₂), so the trace term is the sum of those singular values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Gaussian:
    mean: np.ndarray
    cov: np.ndarray
    count: int

    @classmethod
    def fit(cls, features: np.ndarray) -> Gaussian:
        """Mean and unbiased covariance of ``features`` (N, D); needs N >= 2."""
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2 or len(features) < 2:
            raise ValueError(f"need at least 2 feature vectors (N, D), got shape {features.shape}")
        return cls(features.mean(axis=0), np.cov(features, rowvar=False, ddof=1), len(features))


def psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def trace_sqrt_product(cov_a: np.ndarray, cov_b: np.ndarray) -> float:
    """tr((Σa Σb)^½), computed as tr((Σa^½ Σb Σa^½)^½)."""
    root = psd_sqrt(cov_a)
    inner = root @ cov_b @ root
    return float(np.sqrt(np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0, None)).sum())


def frechet_distance(a: Gaussian, b: Gaussian) -> float:
    """The squared Fréchet distance; round-off below zero is reported as 0."""
    diff = a.mean - b.mean
    value = diff @ diff + np.trace(a.cov) + np.trace(b.cov) - 2 * trace_sqrt_product(a.cov, b.cov)
    return max(float(value), 0.0)


def frechet_distance_of_features(a: np.ndarray, b: np.ndarray) -> float:
    """``frechet_distance(Gaussian.fit(a), Gaussian.fit(b))``, through A Bᵀ when N is below the dimension."""
    if max(len(a), len(b)) > a.shape[1]:
        return frechet_distance(Gaussian.fit(a), Gaussian.fit(b))
    mean_a, mean_b = a.mean(axis=0), b.mean(axis=0)
    centred_a = (a - mean_a) / np.sqrt(len(a) - 1)
    centred_b = (b - mean_b) / np.sqrt(len(b) - 1)
    diff = mean_a - mean_b
    trace_sqrt = np.linalg.svd(centred_a @ centred_b.T, compute_uv=False).sum()
    value = diff @ diff + np.sum(centred_a**2) + np.sum(centred_b**2) - 2 * trace_sqrt
    return max(float(value), 0.0)
