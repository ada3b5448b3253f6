"""PCA by eigh of the covariance with every component's sign flipped relative to the reference's."""
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
    eigvals, eigvecs = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    order = np.argsort(eigvals)[::-1][:k]
    components = eigvecs[:, order].T
    pivots = np.argmax(np.abs(components), axis=1)
    components = -components * np.sign(components[np.arange(k), pivots])[:, None]
    return Xc @ components.T, components, np.clip(eigvals[order], 0.0, None)
