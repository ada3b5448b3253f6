"""linear_l2_backward forgets the 2 of d||q||²/dq = 2q (dW = q xᵀ, dx = Wᵀ q)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.5"]


def linear_l2_backward(dout, W, x):
    W, x = np.asarray(W, dtype=np.float64), np.asarray(x, dtype=np.float64)
    dq = float(dout) * (W @ x)
    return np.outer(dq, x), W.T @ dq
