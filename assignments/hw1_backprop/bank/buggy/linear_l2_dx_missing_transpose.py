"""linear_l2_backward computes dx = 2 W q instead of 2 Wᵀ q (a shape error unless W is square, wrong values when it is)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.5"]


def linear_l2_backward(dout, W, x):
    W, x = np.asarray(W, dtype=np.float64), np.asarray(x, dtype=np.float64)
    dq = 2.0 * float(dout) * (W @ x)
    return np.outer(dq, x), W @ dq
