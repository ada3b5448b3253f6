"""max_backward sends the gradient to y on ties (x > y instead of x >= y)."""
import numpy as np

MODULE = "gates"
KILLED_BY = ["1.1"]


def max_backward(dout, x, y):
    dout, x, y = (np.asarray(a, dtype=np.float64) for a in (dout, x, y))
    x_wins = x > y
    return np.where(x_wins, dout, 0.0), np.where(x_wins, 0.0, dout)
