"""gd_step adds the gradient (w + lr·dw): gradient ascent, the loss goes up."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def gd_step(w, dw, lr):
    w, dw = np.asarray(w, dtype=np.float64), np.asarray(dw, dtype=np.float64)
    return w + lr * dw
