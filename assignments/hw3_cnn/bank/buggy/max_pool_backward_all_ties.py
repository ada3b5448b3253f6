"""max_pool_backward gives the gradient to every entry equal to the window's max (all tied maxima)."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.4"]


def max_pool_backward(dout, x, pool=2, stride=2):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride : i * stride + pool, j * stride : j * stride + pool]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * stride : i * stride + pool, j * stride : j * stride + pool] += mask * dout[:, :, i, j][:, :, None, None]
    return dx
