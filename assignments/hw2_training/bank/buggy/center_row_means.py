"""center subtracts each row's mean (axis=1) instead of each feature's mean (axis=0)."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.7"]


def center(X):
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=1, keepdims=True)
    return X - mean, mean[:, 0]
