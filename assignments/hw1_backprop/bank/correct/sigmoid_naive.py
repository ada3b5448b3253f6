"""Naive sigmoid 1 / (1 + exp(-x)): numpy warns on overflow for x << 0 but the value (0) is right."""
import numpy as np

MODULE = "activations"


def sigmoid_forward(x):
    x = np.asarray(x, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_backward(dout, x):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if dout.shape != x.shape:
        raise ValueError(f"sigmoid_backward: dout must have shape {x.shape}, got {dout.shape}")
    s = 1.0 / (1.0 + np.exp(-x))
    return dout * s * (1.0 - s)
