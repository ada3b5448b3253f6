"""neuron_backward averages dw over the batch instead of summing it (a 1/N factor)."""
import numpy as np

MODULE = "gates"
KILLED_BY = ["1.2"]


def neuron_backward(dout, x, w):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    z = x @ w
    s = 1.0 / (1.0 + np.exp(-z))
    dz = dout * s * (1.0 - s)
    dx = dz[..., None] * w
    dw = (dz @ x) / x.shape[0] if x.ndim == 2 else dz * x
    return dx, dw
