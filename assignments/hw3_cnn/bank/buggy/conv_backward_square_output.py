"""conv_backward sizes the output by its height only (W_out = H_out): right only for square outputs."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.3"]


def conv_backward(dout, x, w, b, stride=1, pad=0):
    x, w, dout = (np.asarray(a, dtype=np.float64) for a in (x, w, dout))
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = H_out
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for i in range(H_out):
        for j in range(W_out):
            window = xpad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            g = dout[:, :, min(i, dout.shape[2] - 1), min(j, dout.shape[3] - 1)]
            dw += np.einsum("nf,nchw->fchw", g, window)
            dxpad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += np.einsum("nf,fchw->nchw", g, w)
    return dxpad[:, :, pad:pad + H, pad:pad + W], dw, db
