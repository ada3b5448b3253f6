"""zca_whiten forgets to rotate back (returns the PCA-whitened data, not ZCA's)."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.8"]


def zca_whiten(X, eps=1e-5):
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    order = np.argsort(eigvals)[::-1]
    variances = np.clip(eigvals[order], 0.0, None)
    return (Xc @ eigvecs[:, order]) / np.sqrt(variances + eps)
