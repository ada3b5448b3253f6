"""max_pool_forward uses the output height for both axes (W_out = H_out): wrong for non-square inputs."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.4"]


def max_pool_forward(x, pool=2, stride=2):
    x = np.asarray(x, dtype=np.float64)
    N, C, H, W = x.shape
    H_out = (H - pool) // stride + 1
    out = np.empty((N, C, H_out, H_out))
    for i in range(H_out):
        for j in range(H_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + pool, j * stride:j * stride + pool].max(axis=(2, 3))
    return out
