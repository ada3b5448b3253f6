"""max_pool_backward places window (i, j) at (i·pool, j·pool): wrong when stride ≠ pool (overlapping windows)."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.4"]


def max_pool_backward(dout, x, pool=2, stride=2):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    N, C = x.shape[:2]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * pool, i * pool + pool), slice(j * pool, j * pool + pool)
            window = x[:, :, rows, cols]
            if window.shape[2:] != (pool, pool):
                continue  # ran off the edge: the student's loop silently skips it
            p, q = np.divmod(np.argmax(window.reshape(N, C, -1), axis=2), pool)
            for n in range(N):
                for c in range(C):
                    dx[n, c, i * pool + p[n, c], j * pool + q[n, c]] += dout[n, c, i, j]
    return dx
