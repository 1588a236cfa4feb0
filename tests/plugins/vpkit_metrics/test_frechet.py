import numpy as np
import pytest
import scipy.linalg
from vpkit_metrics.frechet import Gaussian, frechet_distance, frechet_distance_of_features, psd_sqrt


def _random_gaussian(rng, dim=6):
    a = rng.normal(size=(dim, dim))
    return Gaussian(rng.normal(size=dim), a @ a.T + 0.1 * np.eye(dim), 100)


def test_closed_form_for_diagonal_gaussians():
    # For commuting (here diagonal) covariances: |mu1 - mu2|^2 + sum (sqrt(s1) - sqrt(s2))^2.
    a = Gaussian(np.array([0.0, 1.0, 2.0]), np.diag([1.0, 4.0, 9.0]), 10)
    b = Gaussian(np.array([1.0, 1.0, 0.0]), np.diag([4.0, 1.0, 1.0]), 10)
    assert frechet_distance(a, b) == pytest.approx(1 + 0 + 4 + (1 - 2) ** 2 + (2 - 1) ** 2 + (3 - 1) ** 2, rel=1e-12)


def test_closed_form_in_one_dimension():
    a = Gaussian(np.array([3.0]), np.array([[2.0]]), 5)
    b = Gaussian(np.array([-1.0]), np.array([[8.0]]), 5)
    assert frechet_distance(a, b) == pytest.approx(16 + (np.sqrt(2) - np.sqrt(8)) ** 2, rel=1e-12)


def test_matches_the_scipy_sqrtm_formula():
    rng = np.random.default_rng(0)
    a, b = _random_gaussian(rng), _random_gaussian(rng)
    covmean = scipy.linalg.sqrtm(a.cov @ b.cov).real
    expected = np.sum((a.mean - b.mean) ** 2) + np.trace(a.cov + b.cov - 2 * covmean)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)


def test_symmetric_and_zero_for_identical_sets():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(50, 8)), rng.normal(1.0, 2.0, size=(40, 8))
    a, b = Gaussian.fit(x), Gaussian.fit(y)
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-10)
    assert frechet_distance(a, Gaussian.fit(x.copy())) == pytest.approx(0, abs=1e-9)


def test_singular_covariances_fewer_samples_than_dimensions():
    """5 samples in 20 dimensions, the two sets in orthogonal subspaces (the first 10 coordinates,
    the last 10): the covariances are singular and their product is 0, so the distance is
    |mu_a - mu_b|^2 + tr(S_a) + tr(S_b), here computed with numpy's own covariance."""
    rng = np.random.default_rng(2)
    x, y = np.zeros((5, 20)), np.zeros((5, 20))
    x[:, :10], y[:, 10:] = rng.normal(size=(5, 10)), rng.normal(1.0, 2.0, size=(5, 10))
    expected = (
        np.sum((x.mean(0) - y.mean(0)) ** 2) + np.trace(np.cov(x, rowvar=False)) + np.trace(np.cov(y, rowvar=False))
    )
    assert frechet_distance(Gaussian.fit(x), Gaussian.fit(y)) == pytest.approx(expected, rel=1e-9)
    assert frechet_distance_of_features(x, y) == pytest.approx(expected, rel=1e-9)


def test_fit_is_float64_with_the_unbiased_covariance():
    x = np.arange(12, dtype=np.float32).reshape(4, 3) ** 1.5
    g = Gaussian.fit(x)
    assert g.cov.dtype == np.float64 and g.count == 4
    np.testing.assert_allclose(g.cov, (x - x.mean(0)).T @ (x - x.mean(0)) / 3)
    with pytest.raises(ValueError, match="at least 2 feature vectors"):
        Gaussian.fit(x[:1])


def test_psd_sqrt_squares_back():
    rng = np.random.default_rng(3)
    cov = _random_gaussian(rng).cov
    root = psd_sqrt(cov)
    np.testing.assert_allclose(root @ root, cov, atol=1e-10)


@pytest.mark.parametrize(("n_a", "n_b"), [(5, 7), (30, 12), (40, 40)])
def test_from_features_equals_the_gaussian_formula(n_a, n_b):
    """Fewer videos than dimensions (the usual bootstrap case) goes through the singular values of
    A Bᵀ; more goes through the covariances. Both are the same distance (to the round-off that the
    covariance route's square roots of near-zero eigenvalues of singular covariances add)."""
    rng = np.random.default_rng(n_a)
    mix = rng.normal(size=(16, 16))
    a, b = rng.normal(size=(n_a, 16)) @ mix, rng.normal(0.5, 1, size=(n_b, 16)) @ mix
    expected = frechet_distance(Gaussian.fit(a), Gaussian.fit(b))
    assert frechet_distance_of_features(a, b) == pytest.approx(expected, rel=1e-7)
