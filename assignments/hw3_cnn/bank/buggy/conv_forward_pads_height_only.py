"""conv_forward pads only the height (pad rows, no pad columns): wrong whenever pad > 0."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.2"]


def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (0, 0)))
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = xpad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            if window.shape[-1] < WW:  # ran off the unpadded right edge
                window = np.pad(window, ((0, 0), (0, 0), (0, 0), (0, WW - window.shape[-1])))
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w) + b
    return out
