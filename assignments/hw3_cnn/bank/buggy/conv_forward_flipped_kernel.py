"""conv_forward flips the kernel (a true convolution) instead of the cross-correlation of the lecture."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MODULE = "conv"
KILLED_BY = ["3.2"]


def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xpad, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    flipped = w[:, :, ::-1, ::-1]
    return np.einsum("nchwij,fcij->nfhw", windows, flipped) + b[None, :, None, None]
