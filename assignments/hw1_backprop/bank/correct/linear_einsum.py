"""The linear layer with np.einsum for the forward and backward products."""
import numpy as np

MODULE = "layers"


def _check(x, W, b):
    if x.ndim != 2 or W.ndim != 2 or W.shape[1] != x.shape[1] or b.shape != W.shape[:1]:
        raise ValueError(f"expected x (N, d), W (m, d), b (m,), got {x.shape}, {W.shape}, {b.shape}")


def linear_forward(x, W, b):
    x, W, b = (np.asarray(a, dtype=np.float64) for a in (x, W, b))
    _check(x, W, b)
    return np.einsum("nd,md->nm", x, W) + b


def linear_backward(dout, x, W, b):
    dout, x, W, b = (np.asarray(a, dtype=np.float64) for a in (dout, x, W, b))
    _check(x, W, b)
    if dout.shape != (x.shape[0], W.shape[0]):
        raise ValueError(f"dout must have shape {(x.shape[0], W.shape[0])}, got {dout.shape}")
    return np.einsum("nm,md->nd", dout, W), np.einsum("nm,nd->md", dout, x), np.einsum("nm->m", dout)
