"""whiten divides by sqrt(λ) + eps instead of sqrt(λ + eps): wrong along low-variance directions."""
import numpy as np

MODULE = "preprocess"
KILLED_BY = ["2.8"]


def whiten(X, eps=1e-5):
    Z, _, variances = pca(X, np.asarray(X).shape[1])
    return Z / (np.sqrt(variances) + eps)
