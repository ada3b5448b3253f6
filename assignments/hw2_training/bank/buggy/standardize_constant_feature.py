"""standardize divides by std without the eps guard: a constant feature becomes NaN."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.7"]


def standardize(X, eps=1e-8):
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - mean) / std, mean, std
