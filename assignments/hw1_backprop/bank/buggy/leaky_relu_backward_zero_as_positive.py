"""leaky_relu_backward passes the full gradient where x == 0 (mask x >= 0): wrong only at exactly 0."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def leaky_relu_backward(dout, x, alpha=0.01):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if dout.shape != x.shape:
        raise ValueError(f"leaky_relu_backward: dout must have the shape of x, {x.shape}, got {dout.shape}")
    return np.where(x >= 0, dout, alpha * dout)
