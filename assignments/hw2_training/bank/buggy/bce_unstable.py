"""binary_cross_entropy through log(σ(z)) and log(1 - σ(z)): inf / NaN for logits like ±1000."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.2"]


def binary_cross_entropy(logits, y):
    z, y = np.asarray(logits, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = z.shape[0]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
        loss = -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)) / n
    return float(loss), (p - y) / n
