"""tanh_forward through the exp formula (e^x − e^−x) / (e^x + e^−x): inf / inf = NaN for |x| ≈ 1000."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def tanh_forward(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
