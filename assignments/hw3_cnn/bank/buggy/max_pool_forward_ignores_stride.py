"""max_pool_forward steps by the pool size and ignores stride (wrong for overlapping windows)."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.4"]


def max_pool_forward(x, pool=2, stride=2):
    x = np.asarray(x, dtype=np.float64)
    N, C, H, W = x.shape
    H_out, W_out = (H - pool) // stride + 1, (W - pool) // stride + 1
    out = np.empty((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * pool : i * pool + pool, j * pool : j * pool + pool].max(axis=(2, 3))
    return out
