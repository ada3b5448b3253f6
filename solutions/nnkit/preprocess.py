"""Data preprocessing: centering, standardisation, PCA and whitening.

The lecture's first steps are ``X -= np.mean(X, axis=0)`` and
``X /= np.std(X, axis=0)``; here they return new arrays instead (inputs are
never modified). ``X`` is ``(N, d)``, one sample per row, float64. Every
covariance and variance uses 1/N (``np.std``/``np.var``'s default ``ddof=0``).
"""

import numpy as np


def _check_data(X):
    """``X`` as a float64 ``(N, d)`` array with N ≥ 1 and d ≥ 1."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have shape (N, d) with N, d >= 1, got shape {X.shape}")
    return X


def center(X):
    """Subtract the per-feature mean (zero-centre the data).

    Xc = X − μ,   μ_j = (1/N) Σ_i X_ij

    Inputs:
    - X: data of shape (N, d)

    Returns a tuple of:
    - Xc: centred data, shape (N, d), every column has mean 0
    - mean: the per-feature mean μ, shape (d,)
    """
    ### BEGIN SOLUTION
    X = _check_data(X)
    mean = X.mean(axis=0)
    return X - mean, mean
    ### END SOLUTION


def standardize(X, eps=1e-8):
    """Centre each feature and divide it by its (population) standard deviation.

    Xs = (X − μ) / σ,   σ_j = sqrt((1/N) Σ_i (X_ij − μ_j)²)   (``np.std``, ddof=0)

    A feature with σ_j < eps (constant, or nearly) gets σ_j = 1, so that it is
    only centred instead of divided by ~0.

    Inputs:
    - X: data of shape (N, d)
    - eps: threshold below which a standard deviation is replaced by 1

    Returns a tuple of:
    - Xs: standardised data, shape (N, d)
    - mean: per-feature mean μ, shape (d,)
    - std: per-feature standard deviation actually used, shape (d,) (all > 0)
    """
    ### BEGIN SOLUTION
    X = _check_data(X)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std < eps, 1.0, std)
    return (X - mean) / std, mean, std
    ### END SOLUTION


def standardize_with(X, mean, std):
    """Standardise new data (e.g. a test set) with statistics of the training set.

    Xs = (X − μ) / σ, with μ and σ as returned by ``standardize`` on the training data.

    Inputs:
    - X: data of shape (M, d)
    - mean: per-feature mean μ, shape (d,)
    - std: per-feature standard deviation σ, shape (d,), all entries > 0

    Returns:
    - Xs: standardised data, shape (M, d)
    """
    ### BEGIN SOLUTION
    X = _check_data(X)
    mean = np.asarray(mean, dtype=np.float64)
    std = np.asarray(std, dtype=np.float64)
    d = X.shape[1]
    if mean.shape != (d,) or std.shape != (d,):
        raise ValueError(f"mean and std must have shape ({d},) for X of shape {X.shape}, got {mean.shape} and {std.shape}")
    if not np.all(std > 0):
        raise ValueError(f"std must be > 0 everywhere (as returned by standardize), got min {std.min()}")
    return (X - mean) / std
    ### END SOLUTION


def pca(X, k):
    """Principal component analysis: project the centred data on its top-k directions.

    With C = (1/N) Xcᵀ Xc = U Λ Uᵀ (eigen-decomposition, λ_1 ≥ λ_2 ≥ …):
    components are the first k columns of U, as rows; Z holds the coordinates
    of each centred row along them, and Var(Z_:,j) = λ_j.

    Inputs:
    - X: data of shape (N, d)
    - k: number of components to keep, an integer 1 ≤ k ≤ d

    Returns a tuple of:
    - Z: the projected data, shape (N, k)
    - components: shape (k, d), orthonormal rows sorted by decreasing
      variance (each row's sign is arbitrary; here its largest-magnitude
      entry is positive)
    - variances: shape (k,), the variance (1/N) of each column of Z,
      i.e. the eigenvalues λ_1 ≥ … ≥ λ_k
    """
    ### BEGIN SOLUTION
    X = _check_data(X)
    d = X.shape[1]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= d:
        raise ValueError(f"k must be an integer with 1 <= k <= d = {d}, got {k!r}")
    Xc, _ = center(X)
    cov = Xc.T @ Xc / Xc.shape[0]
    eigvals, eigvecs = np.linalg.eigh(cov)  # ascending; columns are eigenvectors
    order = np.argsort(eigvals)[::-1][:k]
    # round-off can make a zero eigenvalue slightly negative
    variances = np.clip(eigvals[order], 0.0, None)
    components = eigvecs[:, order].T
    # a sign convention only makes the output reproducible; any sign is correct
    pivots = np.argmax(np.abs(components), axis=1)
    components = components * np.sign(components[np.arange(k), pivots])[:, None]
    return Xc @ components.T, components, variances
    ### END SOLUTION


def whiten(X, eps=1e-5):
    """PCA whitening: rotate onto all principal components and scale each to unit variance.

    Xw = Xc U diag(1 / sqrt(λ + eps)),  so  Cov(Xw) = diag(λ / (λ + eps)) ≈ I.

    eps keeps directions of (near-)zero variance from being blown up.

    Inputs:
    - X: data of shape (N, d)
    - eps: small number added to every eigenvalue λ (float > 0)

    Returns:
    - Xw: the whitened data, shape (N, d) (only the array; U and λ are
      those of ``pca(X, d)``, and Xw = Z / sqrt(λ + eps) with that Z)
    """
    ### BEGIN SOLUTION
    X = _check_data(X)
    Z, _, variances = pca(X, X.shape[1])
    return Z / np.sqrt(variances + eps)
    ### END SOLUTION


def zca_whiten(X, eps=1e-5):
    """ZCA whitening: PCA whitening rotated back into the original coordinates.

    Xzca = Xc U diag(1 / sqrt(λ + eps)) Uᵀ,  so  Cov(Xzca) = U diag(λ / (λ + eps)) Uᵀ ≈ I.

    The transform U diag(·) Uᵀ is symmetric: of all whitening transforms it
    is the one that keeps the data closest to the original (images still
    look like images).

    Inputs:
    - X: data of shape (N, d)
    - eps: small number added to every eigenvalue λ (float > 0)

    Returns:
    - Xzca: the ZCA-whitened data, shape (N, d) (only the array)
    """
    ### BEGIN SOLUTION
    X = _check_data(X)
    Z, components, variances = pca(X, X.shape[1])
    return Z / np.sqrt(variances + eps) @ components
    ### END SOLUTION
