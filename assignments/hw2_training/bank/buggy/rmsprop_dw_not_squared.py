"""rmsprop_step accumulates dw instead of dw² in the cache (NaN from sqrt of a negative cache)."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def rmsprop_step(w, dw, cache, lr, decay=0.99, eps=1e-8):
    w, dw, cache = (np.asarray(a, dtype=np.float64) for a in (w, dw, cache))
    cache_next = decay * cache + (1.0 - decay) * dw
    with np.errstate(invalid="ignore"):
        return w - lr * dw / (np.sqrt(cache_next) + eps), cache_next
