"""conv_backward crops the padded gradient with [pad:-pad]: empty when pad is 0."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MODULE = "conv"
KILLED_BY = ["3.3"]


def conv_backward(dout, x, w, b, stride=1, pad=0):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    F, C, HH, WW = w.shape
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xpad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nchwij,nfhw->fcij", windows, dout)
    db = dout.sum(axis=(0, 2, 3))
    dxpad = np.zeros_like(xpad)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dxpad[:, :, i * stride : i * stride + HH, j * stride : j * stride + WW] += np.einsum(
                "nf,fcij->ncij", dout[:, :, i, j], w
            )
    return dxpad[:, :, pad:-pad, pad:-pad], dw, db
