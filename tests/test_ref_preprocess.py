"""Reference preprocessing: centring, standardisation, PCA, PCA and ZCA whitening.

Properties are checked with hypothesis on random data, and the results are
cross-checked against scikit-learn (StandardScaler, PCA).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from nnkit.preprocess import center, pca, standardize, standardize_with, whiten, zca_whiten
from test_ref_common import call_unmodified

RNG = np.random.default_rng(7)
# correlated data with distinct variances (so eigenvectors are unique up to sign)
DATA = RNG.normal(size=(40, 5)) @ RNG.normal(size=(5, 5)) + RNG.normal(size=5) * 3


@st.composite
def data_matrices(draw, min_n=2, max_n=20, max_d=6):
    """(N, d) float64 data, possibly degenerate (repeated rows, constant columns)."""
    n = draw(st.integers(min_n, max_n))
    d = draw(st.integers(1, max_d))
    return draw(arrays(np.float64, (n, d), elements=st.floats(-5, 5, allow_subnormal=False)))


def cov(Z):
    """Covariance with 1/N, as everywhere in nnkit."""
    Zc = Z - Z.mean(axis=0)
    return Zc.T @ Zc / len(Z)


# --- center / standardize -------------------------------------------------------


@given(data_matrices(min_n=1))
def test_center_zero_mean(X):
    Xc, mean = call_unmodified(center, X)
    np.testing.assert_allclose(mean, X.mean(axis=0))
    np.testing.assert_allclose(Xc.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Xc + mean, X, atol=1e-12)


def test_standardize_matches_sklearn_standard_scaler():
    X = DATA.copy()
    X[:, 2] = 4.0  # a constant feature: StandardScaler also uses scale 1 there
    Xs, mean, std = call_unmodified(standardize, X)
    scaler = StandardScaler().fit(X)
    np.testing.assert_allclose(mean, scaler.mean_)
    np.testing.assert_allclose(std, scaler.scale_)
    np.testing.assert_allclose(Xs, scaler.transform(X), atol=1e-12)


@given(data_matrices(), st.integers(0, 5), st.floats(-3, 3))
def test_standardize_constant_feature_gets_std_one(X, column, value):
    column %= X.shape[1]
    X = X.copy()
    X[:, column] = value
    Xs, mean, std = standardize(X)
    assert std[column] == 1.0
    assert np.all(np.isfinite(Xs)) and np.all(std > 0)
    np.testing.assert_allclose(Xs[:, column], 0.0, atol=1e-12)
    # features that do vary end up with unit variance
    varying = X.std(axis=0) >= 1e-8
    np.testing.assert_allclose(Xs[:, varying].std(axis=0), 1.0, rtol=1e-6)


def test_standardize_with_applies_training_statistics():
    X_train, X_test = DATA[:30], DATA[30:]
    Xs, mean, std = standardize(X_train)
    np.testing.assert_allclose(standardize_with(X_train, mean, std), Xs)
    np.testing.assert_allclose(call_unmodified(standardize_with, X_test, mean, std), (X_test - mean) / std)
    np.testing.assert_allclose(standardize_with(X_test, mean, std), StandardScaler().fit(X_train).transform(X_test))


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: standardize_with(DATA, np.zeros(4), np.ones(5)), r"shape \(5,\)"),
        (lambda: standardize_with(DATA, np.zeros(5), np.zeros(5)), "std must be > 0"),
        (lambda: standardize(np.zeros(5)), r"\(N, d\)"),
        (lambda: center(np.zeros((0, 3))), r"\(N, d\)"),
        (lambda: pca(DATA, 6), r"1 <= k <= d = 5, got 6"),
        (lambda: pca(DATA, 0), r"1 <= k <= d = 5, got 0"),
        (lambda: pca(DATA, 2.0), "integer"),
        (lambda: whiten(np.zeros((3, 2, 2))), r"\(N, d\)"),
    ],
)
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- PCA ------------------------------------------------------------------------


@given(data_matrices(), st.integers(1, 6))
def test_pca_properties(X, k):
    k = min(k, X.shape[1])
    Z, components, variances = call_unmodified(pca, X, k)
    d = X.shape[1]
    assert Z.shape == (len(X), k) and components.shape == (k, d) and variances.shape == (k,)
    np.testing.assert_allclose(components @ components.T, np.eye(k), atol=1e-10)
    assert np.all(np.diff(variances) <= 0), f"variances not sorted decreasing: {variances}"
    np.testing.assert_allclose(Z, (X - X.mean(axis=0)) @ components.T, atol=1e-10)
    np.testing.assert_allclose(variances, Z.var(axis=0), atol=1e-9)
    # the top-k directions capture at least as much variance as any k coordinate axes
    assert variances.sum() >= np.sort(X.var(axis=0))[::-1][:k].sum() - 1e-9


def test_pca_all_components_reconstruct_centred_data():
    Z, components, _ = pca(DATA, 5)
    np.testing.assert_allclose(Z @ components, DATA - DATA.mean(axis=0), atol=1e-10)


def test_pca_matches_sklearn_up_to_sign():
    k = 3
    Z, components, variances = pca(DATA, k)
    ref = PCA(n_components=k, svd_solver="full").fit(DATA)
    n = len(DATA)
    # sklearn's explained_variance_ divides by N - 1; nnkit's variances by N
    np.testing.assert_allclose(variances, ref.explained_variance_ * (n - 1) / n, rtol=1e-10)
    signs = np.sign(np.sum(components * ref.components_, axis=1))
    assert np.all(signs != 0)
    np.testing.assert_allclose(components, ref.components_ * signs[:, None], atol=1e-10)
    np.testing.assert_allclose(Z, ref.transform(DATA) * signs, atol=1e-9)


# --- whitening --------------------------------------------------------------------


@given(data_matrices(), st.sampled_from([1e-5, 1e-2, 1.0]))
def test_whitened_covariance_is_lambda_over_lambda_plus_eps(X, eps):
    _, _, lam = pca(X, X.shape[1])
    Xw = call_unmodified(whiten, X, eps)
    assert Xw.shape == X.shape
    np.testing.assert_allclose(cov(Xw), np.diag(lam / (lam + eps)), atol=1e-6)


@given(data_matrices(), st.sampled_from([1e-5, 1e-2, 1.0]))
def test_zca_covariance_in_original_basis(X, eps):
    _, U, lam = pca(X, X.shape[1])  # rows of U are the eigenvectors
    Xz = call_unmodified(zca_whiten, X, eps)
    assert Xz.shape == X.shape
    np.testing.assert_allclose(cov(Xz), U.T @ np.diag(lam / (lam + eps)) @ U, atol=1e-6)


def test_whiten_gives_identity_covariance_on_full_rank_data():
    np.testing.assert_allclose(cov(whiten(DATA, eps=1e-12)), np.eye(5), atol=1e-8)
    np.testing.assert_allclose(cov(zca_whiten(DATA, eps=1e-12)), np.eye(5), atol=1e-8)


def test_zca_is_a_symmetric_linear_map_of_the_centred_data():
    # ZCA = Xc @ M with M = U diag(1/sqrt(λ + eps)) Uᵀ symmetric; recover M by least squares
    Xc = DATA - DATA.mean(axis=0)
    M, *_ = np.linalg.lstsq(Xc, zca_whiten(DATA), rcond=None)
    np.testing.assert_allclose(M, M.T, atol=1e-8)
    # and PCA whitening is the same data rotated: Xzca = Xw @ U
    _, U, _ = pca(DATA, 5)
    np.testing.assert_allclose(zca_whiten(DATA), whiten(DATA) @ U, atol=1e-10)
    # PCA whitening's map U diag(·) is not symmetric in general
    Mw, *_ = np.linalg.lstsq(Xc, whiten(DATA), rcond=None)
    assert not np.allclose(Mw, Mw.T, atol=1e-3)
