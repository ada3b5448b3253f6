"""l2_regularization returns the gradient reg · W instead of 2 · reg · W."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.2"]


def l2_regularization(W, reg):
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), reg * W
