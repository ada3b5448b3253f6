"""chain_rule multiplies by the transposed Jacobian (dout @ jacobian.T, the other layout)."""
import numpy as np

MODULE = "jacobians"
KILLED_BY = ["1.4"]


def chain_rule(jacobian, dout):
    jacobian, dout = np.asarray(jacobian, dtype=np.float64), np.asarray(dout, dtype=np.float64)
    return jacobian.T @ dout
