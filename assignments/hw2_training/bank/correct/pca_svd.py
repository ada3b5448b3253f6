"""PCA through the SVD of the centred data (no covariance matrix), with numpy's signs."""
import numpy as np

MODULE = "preprocess"


def pca(X, k):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have shape (N, d), got {X.shape}")
    d = X.shape[1]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= d:
        raise ValueError(f"k must be an integer in [1, {d}], got {k!r}")
    Xc = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(Xc, full_matrices=True)
    variances = np.zeros(d)
    variances[: len(s)] = s**2 / X.shape[0]
    components = vt[:k]
    return Xc @ components.T, components, variances[:k]
