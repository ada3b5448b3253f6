"""max_pool_forward uses the output height for both axes (W_out = H_out): wrong for non-square inputs."""
# Not caught yet (3.4 keeps full marks): 3.4 needs a max_pool_forward case on a non-square input (H != W,
# e.g. 4×6). Move to buggy/ once it is.
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
