"""pca returns the components as the columns of a (d, k) matrix instead of the rows of (k, d)."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.8"]


def pca(X, k):
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    order = np.argsort(eigvals)[::-1][:k]
    components = eigvecs[:, order]
    return Xc @ components, components, eigvals[order]
