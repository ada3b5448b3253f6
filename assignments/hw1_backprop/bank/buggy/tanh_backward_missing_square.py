"""tanh_backward uses 1 - tanh(x) instead of 1 - tanh(x)²."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def tanh_backward(dout, x):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    return dout * (1.0 - np.tanh(x))
