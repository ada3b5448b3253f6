"""Max-pool forward with a loop over output pixels and .max over each window."""
import numpy as np

MODULE = "conv"


def max_pool_forward(x, pool=2, stride=2):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {x.shape}")
    N, C, H, W = x.shape
    H_out = conv_output_size(H, pool, stride, 0)
    W_out = conv_output_size(W, pool, stride, 0)
    out = np.empty((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride : i * stride + pool, j * stride : j * stride + pool].max(axis=(2, 3))
    return out
