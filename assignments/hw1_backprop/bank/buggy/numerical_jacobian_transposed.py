"""numerical_jacobian returns the (m, d) layout (rows are outputs) instead of the lecture's (d, m)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.4"]


def numerical_jacobian(f, x, h=1e-6):
    x = np.array(x, dtype=np.float64)
    columns = []
    for j in range(x.shape[0]):
        plus, minus = x.copy(), x.copy()
        plus[j] += h
        minus[j] -= h
        columns.append((np.asarray(f(plus), dtype=np.float64) - np.asarray(f(minus), dtype=np.float64)) / (2.0 * h))
    return np.stack(columns, axis=1)
