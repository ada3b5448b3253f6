"""numerical_jacobian divides the central difference by h instead of 2h (a factor 2)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.4"]


def numerical_jacobian(f, x, h=1e-6):
    x = np.array(x, dtype=np.float64)
    rows = []
    for j in range(x.shape[0]):
        plus, minus = x.copy(), x.copy()
        plus[j] += h
        minus[j] -= h
        rows.append((np.asarray(f(plus), dtype=np.float64) - np.asarray(f(minus), dtype=np.float64)) / h)
    return np.stack(rows)
