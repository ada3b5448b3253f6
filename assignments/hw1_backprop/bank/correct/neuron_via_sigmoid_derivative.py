"""The neuron with a plain 1 / (1 + exp(-z)) and the chain rule written per sample in a loop."""
import numpy as np

MODULE = "gates"


def neuron_forward(x, w):
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(f"neuron_forward: expected x (d,) or (N, d) and w (d,), got {x.shape} and {w.shape}")
    with np.errstate(over="ignore"):
        out = 1.0 / (1.0 + np.exp(-(x @ w)))
    return out[()] if np.ndim(out) == 0 else out


def neuron_backward(dout, x, w):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    if w.ndim != 1 or x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(f"neuron_backward: expected x (d,) or (N, d) and w (d,), got {x.shape} and {w.shape}")
    if dout.shape != x.shape[:-1]:
        raise ValueError(f"neuron_backward: dout must have shape {x.shape[:-1]}, got {dout.shape}")
    X = np.atleast_2d(x)
    D = np.atleast_1d(dout)
    dX = np.zeros_like(X)
    dw = np.zeros_like(w)
    for i in range(X.shape[0]):
        with np.errstate(over="ignore"):
            s = 1.0 / (1.0 + np.exp(-(X[i] @ w)))
        dz = D[i] * s * (1.0 - s)
        dX[i] = dz * w
        dw += dz * X[i]
    return (dX if x.ndim == 2 else dX[0]), dw
