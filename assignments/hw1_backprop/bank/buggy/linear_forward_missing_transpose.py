"""linear_forward computes x @ W + b (W used as (d, m)); only square W even runs."""
import numpy as np

MODULE = "layers"
KILLED_BY = ["1.6"]


def linear_forward(x, W, b):
    x, W, b = (np.asarray(a, dtype=np.float64) for a in (x, W, b))
    return x @ W + b
