"""mul_backward returns (dout * x, dout * y): each input gets its own value instead of the other's."""
import numpy as np

MODULE = "gates"
KILLED_BY = ["1.1"]


def mul_backward(dout, x, y):
    dout, x, y = (np.asarray(a, dtype=np.float64) for a in (dout, x, y))
    return dout * x, dout * y
