"""relu_jacobian through np.diagflat, linear_l2 through explicit sums over i and j."""
import numpy as np

MODULE = "jacobians"


def relu_jacobian(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"relu_jacobian: expected x of shape (d,), got shape {x.shape}")
    return np.diagflat(np.where(x > 0, 1.0, 0.0))


def linear_l2_backward(dout, W, x):
    W, x = np.asarray(W, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if W.ndim != 2 or x.shape != W.shape[1:]:
        raise ValueError(f"linear_l2_backward: expected W (m, d) and x (d,), got {W.shape} and {x.shape}")
    if np.ndim(dout) != 0:
        raise ValueError(f"linear_l2_backward: dout must be a scalar, got shape {np.shape(dout)}")
    m, d = W.shape
    q = [sum(W[i, j] * x[j] for j in range(d)) for i in range(m)]
    dW = np.array([[2.0 * float(dout) * q[i] * x[j] for j in range(d)] for i in range(m)]).reshape(m, d)
    dx = np.array([sum(2.0 * float(dout) * W[i, j] * q[i] for i in range(m)) for j in range(d)]).reshape(d)
    return dW, dx
