"""neuron_forward as exp(z) / (1 + exp(z)): inf / inf = NaN for a saturated neuron (z ≈ 1000)."""
import numpy as np

MODULE = "gates"
KILLED_BY = ["1.2"]


def neuron_forward(x, w):
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(f"neuron_forward: expected x (d,) or (N, d) and w (d,), got {x.shape} and {w.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        z = x @ w
        return (np.exp(z) / (1.0 + np.exp(z)))[()]
