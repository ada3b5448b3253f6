"""relu_backward passes the gradient where x == 0 (mask x >= 0 instead of x > 0)."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def relu_backward(dout, x):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    return np.where(x >= 0, dout, 0.0)
