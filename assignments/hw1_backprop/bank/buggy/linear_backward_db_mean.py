"""linear_backward averages db over the batch (mean instead of sum)."""
import numpy as np

MODULE = "layers"
KILLED_BY = ["1.6"]


def linear_backward(dout, x, W, b):
    dout, x, W = (np.asarray(a, dtype=np.float64) for a in (dout, x, W))
    return dout @ W, dout.T @ x, dout.mean(axis=0)
