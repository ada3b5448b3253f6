"""sigmoid_forward as exp(x) / (1 + exp(x)): inf / inf = NaN for large x (e.g. 1000)."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def sigmoid_forward(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        return e / (1.0 + e)
