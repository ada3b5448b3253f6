"""conv_forward as one np.einsum over a sliding_window_view of the padded input."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MODULE = "conv"


def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    if x.ndim != 4 or w.ndim != 4 or w.shape[1] != x.shape[1] or b.shape != (w.shape[0],):
        raise ValueError(f"expected x (N, C, H, W), w (F, C, HH, WW), b (F,); got {x.shape}, {w.shape}, {b.shape}")
    conv_output_size(x.shape[2], w.shape[2], stride, pad)
    conv_output_size(x.shape[3], w.shape[3], stride, pad)
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xpad, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]
