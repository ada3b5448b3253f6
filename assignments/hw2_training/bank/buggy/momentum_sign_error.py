"""momentum_step subtracts the momentum term: w - lr·dw - γ(w - w_prev) instead of + γ(w - w_prev)."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def momentum_step(w, w_prev, dw, lr, momentum):
    w, w_prev, dw = (np.asarray(a, dtype=np.float64) for a in (w, w_prev, dw))
    return w - lr * dw - momentum * (w - w_prev)
