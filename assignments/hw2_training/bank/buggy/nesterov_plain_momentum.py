"""nesterov_step does a plain heavy-ball step (w + v_next) without Nesterov's look-ahead correction."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def nesterov_step(w, dw, v, lr, momentum):
    w, dw, v = (np.asarray(a, dtype=np.float64) for a in (w, dw, v))
    v_next = momentum * v - lr * dw
    return w + v_next, v_next
