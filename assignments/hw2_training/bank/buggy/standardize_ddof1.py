"""standardize divides by the sample std (ddof=1) instead of the population std (ddof=0)."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.7"]


def standardize(X, eps=1e-8):
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=0)
    std = X.std(axis=0, ddof=1) if X.shape[0] > 1 else np.zeros(X.shape[1])
    std = np.where(std < eps, 1.0, std)
    return (X - mean) / std, mean, std
