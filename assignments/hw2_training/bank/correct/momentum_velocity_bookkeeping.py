"""Heavy-ball momentum written as a velocity v = γ(w - w_prev) - η dw, then w + v (torch-style bookkeeping)."""
import numpy as np

MODULE = "optim"


def momentum_step(w, w_prev, dw, lr, momentum):
    w, w_prev, dw = (np.asarray(a, dtype=np.float64) for a in (w, w_prev, dw))
    if not (w.shape == w_prev.shape == dw.shape):
        raise ValueError(f"expected arrays of one shape, got {w.shape}, {w_prev.shape}, {dw.shape}")
    velocity = momentum * (w - w_prev) - lr * dw
    return w + velocity
