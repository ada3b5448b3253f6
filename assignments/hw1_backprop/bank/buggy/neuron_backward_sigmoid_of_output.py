"""neuron_backward uses z(1 - z) with z = x·w, treating the pre-activation as if it were σ's output."""
import numpy as np

MODULE = "gates"
KILLED_BY = ["1.2"]


def neuron_backward(dout, x, w):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    z = x @ w
    dz = dout * z * (1.0 - z)
    dx = dz[..., None] * w
    dw = dz @ x if x.ndim == 2 else dz * x
    return dx, dw
