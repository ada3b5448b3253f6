"""Standardisation one feature at a time, with the population variance computed by hand."""
import numpy as np

MODULE = "preprocess"


def standardize(X, eps=1e-8):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have shape (N, d), got {X.shape}")
    n, d = X.shape
    mean, std = np.zeros(d), np.ones(d)
    out = np.empty_like(X)
    for j in range(d):
        mean[j] = X[:, j].sum() / n
        s = np.sqrt(((X[:, j] - mean[j]) ** 2).sum() / n)
        std[j] = s if s >= eps else 1.0
        out[:, j] = (X[:, j] - mean[j]) / std[j]
    return out, mean, std
