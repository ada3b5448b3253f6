"""binary_cross_entropy returns the gradient (y − σ(z)) / N: the sign is flipped."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.2"]


def binary_cross_entropy(logits, y):
    z, y = np.asarray(logits, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = z.shape[0]
    loss = np.sum(np.logaddexp(0.0, z) - y * z) / n
    sigma = np.exp(-np.logaddexp(0.0, -z))
    return float(loss), (y - sigma) / n
