"""sigmoid_backward computes dout * x * (1 - x): x is the input, not the sigmoid's output."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def sigmoid_backward(dout, x):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    return dout * x * (1.0 - x)
