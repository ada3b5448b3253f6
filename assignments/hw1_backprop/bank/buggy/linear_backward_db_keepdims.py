"""linear_backward returns db with keepdims=True: shape (1, m) instead of b's (m,)."""
import numpy as np

MODULE = "layers"
KILLED_BY = ["1.6"]


def linear_backward(dout, x, W, b):
    dout, x, W = (np.asarray(a, dtype=np.float64) for a in (dout, x, W))
    dx = dout @ W
    dW = dout.T @ x
    db = dout.sum(axis=0, keepdims=True)
    return dx, dW, db
