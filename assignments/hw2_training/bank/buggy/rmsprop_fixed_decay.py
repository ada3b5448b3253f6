"""rmsprop_step ignores its decay argument and always uses 0.99: wrong for a non-default decay."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def rmsprop_step(w, dw, cache, lr, decay=0.99, eps=1e-8):
    w, dw, cache = _same_shape(w=w, dw=dw, cache=cache)  # the reference's argument check
    cache_next = 0.99 * cache + 0.01 * dw * dw
    return w - lr * dw / (np.sqrt(cache_next) + eps), cache_next
