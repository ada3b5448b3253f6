"""Max-pool backward with np.argmax per window (first maximum) and np.add.at for overlapping windows."""
import numpy as np

MODULE = "conv"


def max_pool_backward(dout, x, pool=2, stride=2):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {x.shape}")
    N, C, H, W = x.shape
    H_out = conv_output_size(H, pool, stride, 0)
    W_out = conv_output_size(W, pool, stride, 0)
    if dout.shape != (N, C, H_out, W_out):
        raise ValueError(f"dout must have shape {(N, C, H_out, W_out)}, got {dout.shape}")
    dx = np.zeros_like(x)
    n_idx, c_idx = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride : i * stride + pool, j * stride : j * stride + pool].reshape(N, C, -1)
            p, q = np.divmod(np.argmax(window, axis=2), pool)  # argmax: the first maximum in row-major order
            np.add.at(dx, (n_idx, c_idx, i * stride + p, j * stride + q), dout[:, :, i, j])
    return dx
