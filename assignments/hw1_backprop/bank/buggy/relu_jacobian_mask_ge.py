"""relu_jacobian puts 1 on the diagonal where x == 0 (x >= 0 instead of x > 0)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.4"]


def relu_jacobian(x):
    x = np.asarray(x, dtype=np.float64)
    return np.diag((x >= 0).astype(np.float64))
