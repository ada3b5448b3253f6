"""whiten divides by sqrt(variance) without eps: a zero-variance direction gives inf / NaN."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.8"]


def whiten(X, eps=1e-5):
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    order = np.argsort(eigvals)[::-1]
    variances = np.clip(eigvals[order], 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (Xc @ eigvecs[:, order]) / np.sqrt(variances)
