"""leaky_relu_backward hard-codes the slope 0.01 and ignores the alpha argument."""
import numpy as np

MODULE = "activations"
KILLED_BY = ["1.3"]


def leaky_relu_backward(dout, x, alpha=0.01):
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    return np.where(x > 0, dout, 0.01 * dout)
