"""pca keeps np.linalg.eigh's ascending order: the k *smallest*-variance directions."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.8"]


def pca(X, k):
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    components = eigvecs[:, :k].T
    return Xc @ components.T, components, np.clip(eigvals[:k], 0.0, None)
