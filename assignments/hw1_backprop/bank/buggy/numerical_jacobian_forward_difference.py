"""numerical_jacobian by forward differences (f(x + h) − f(x)) / h: an O(h) error instead of O(h²)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.4"]


def numerical_jacobian(f, x, h=1e-6):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or not h > 0:
        raise ValueError(f"numerical_jacobian: expected x of shape (d,) and h > 0, got {x.shape} and {h!r}")
    f0 = np.asarray(f(x.copy()), dtype=np.float64)
    jacobian = np.zeros((x.size, f0.size))
    for j in range(x.size):
        plus = x.copy()
        plus[j] += h
        jacobian[j] = (np.asarray(f(plus), dtype=np.float64) - f0) / h
    return jacobian
