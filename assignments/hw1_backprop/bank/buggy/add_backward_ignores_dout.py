"""add_backward returns ones (the local gradient) and forgets to multiply by the upstream dout."""
import numpy as np

MODULE = "gates"
KILLED_BY = ["1.1"]


def add_backward(dout, x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return np.ones_like(x), np.ones_like(y)
