"""Public tests of nnkit/preprocess.py. Covariances use 1/N; PCA component signs are free."""

import numpy as np

from nnkit.preprocess import center, pca, standardize, standardize_with, whiten, zca_whiten


def correlated_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    A = np.array([[3.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.5, -0.5, 0.3]])
    return rng.standard_normal((n, 3)) @ A.T + np.array([5.0, -2.0, 1.0])


def cov(Z):
    Zc = Z - Z.mean(axis=0)
    return Zc.T @ Zc / len(Z)


def test_center():
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    Xc, mean = center(X)
    np.testing.assert_allclose(mean, [2.0, 4.0])
    np.testing.assert_allclose(Xc, [[-1.0, -2.0], [1.0, 2.0]])


def test_standardize_and_constant_feature():
    X = np.array([[1.0, 7.0], [3.0, 7.0], [5.0, 7.0]])
    Xs, mean, std = standardize(X)
    np.testing.assert_allclose(mean, [3.0, 7.0])
    np.testing.assert_allclose(std, [np.std([1.0, 3.0, 5.0]), 1.0])  # population std; constant -> 1
    np.testing.assert_allclose(Xs[:, 1], 0.0)
    np.testing.assert_allclose(standardize_with(np.array([[3.0, 8.0]]), mean, std), [[0.0, 1.0]])


def test_pca_components_variances_and_projection():
    X = correlated_data()
    Z, components, variances = pca(X, 2)
    assert components.shape == (2, 3) and Z.shape == (200, 2) and np.shape(variances) == (2,)
    np.testing.assert_allclose(components @ components.T, np.eye(2), atol=1e-10, err_msg="orthonormal rows")
    np.testing.assert_allclose(Z, (X - X.mean(axis=0)) @ components.T, atol=1e-10)
    np.testing.assert_allclose(variances, Z.var(axis=0), rtol=1e-8, err_msg="variances of Z's columns (1/N)")
    eigvals, eigvecs = np.linalg.eigh(cov(X))
    np.testing.assert_allclose(variances, eigvals[::-1][:2], rtol=1e-8, err_msg="the two largest variances, in decreasing order")
    # each component is ± the true eigenvector: the sign is free
    np.testing.assert_allclose(np.abs(np.sum(components * eigvecs[:, ::-1][:, :2].T, axis=1)), 1.0, atol=1e-8)


def test_whitening_gives_identity_covariance():
    X = correlated_data(seed=1)
    for name, fn in (("whiten", whiten), ("zca_whiten", zca_whiten)):
        Xw = fn(X)
        assert Xw.shape == X.shape, f"{name} keeps the shape (N, d)"
        np.testing.assert_allclose(cov(Xw), np.eye(3), atol=1e-3, err_msg=f"{name}: covariance should be ≈ I")


def test_zca_is_a_symmetric_transform():
    # ZCA multiplies the centred data by a symmetric matrix (the one closest to the identity)
    X = correlated_data(seed=2)
    Xc = X - X.mean(axis=0)
    M, *_ = np.linalg.lstsq(Xc, zca_whiten(X), rcond=None)
    np.testing.assert_allclose(M, M.T, atol=1e-6)
