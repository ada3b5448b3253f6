"""max_pool_backward gives a tied window's gradient to its last maximum instead of its first."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.4"]


def max_pool_backward(dout, x, pool=2, stride=2):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    N, C = x.shape[:2]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride : i * stride + pool, j * stride : j * stride + pool].reshape(N, C, -1)
            last = pool * pool - 1 - np.argmax(window[:, :, ::-1], axis=2)
            p, q = np.divmod(last, pool)
            for n in range(N):
                for c in range(C):
                    dx[n, c, i * stride + p[n, c], j * stride + q[n, c]] += dout[n, c, i, j]
    return dx
