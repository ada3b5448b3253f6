"""The convolution forward and backward passes as naive nested loops over n, f, i, j (CS231n's first version)."""
import numpy as np

MODULE = "conv"


def _loop_geometry(x, w, b, stride, pad):
    if x.ndim != 4 or w.ndim != 4 or w.shape[1] != x.shape[1] or b.shape != (w.shape[0],):
        raise ValueError(f"expected x (N, C, H, W), w (F, C, HH, WW), b (F,); got {x.shape}, {w.shape}, {b.shape}")
    H_out = conv_output_size(x.shape[2], w.shape[2], stride, pad)
    W_out = conv_output_size(x.shape[3], w.shape[3], stride, pad)
    return H_out, W_out


def conv_forward(x, w, b, stride=1, pad=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    H_out, W_out = _loop_geometry(x, w, b, stride, pad)
    N, F = x.shape[0], w.shape[0]
    HH, WW = w.shape[2:]
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = xpad[n, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out


def conv_backward(dout, x, w, b, stride=1, pad=0):
    dout, x, w, b = (np.asarray(a, dtype=np.float64) for a in (dout, x, w, b))
    H_out, W_out = _loop_geometry(x, w, b, stride, pad)
    N, F = x.shape[0], w.shape[0]
    H, W = x.shape[2:]
    HH, WW = w.shape[2:]
    if dout.shape != (N, F, H_out, W_out):
        raise ValueError(f"dout must have shape {(N, F, H_out, W_out)}, got {dout.shape}")
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[f] += xpad[n, :, rows, cols] * dout[n, f, i, j]
                    dxpad[n, :, rows, cols] += w[f] * dout[n, f, i, j]
                    db[f] += dout[n, f, i, j]
    return dxpad[:, :, pad : pad + H, pad : pad + W], dw, db
