"""linear_backward returns dW = xᵀ dout, shape (d, m), the transpose of W's (m, d)."""
import numpy as np

MODULE = "layers"
KILLED_BY = ["1.6"]


def linear_backward(dout, x, W, b):
    dout, x, W = (np.asarray(a, dtype=np.float64) for a in (dout, x, W))
    return dout @ W, x.T @ dout, dout.sum(axis=0)
