"""l2_loss returns the gradient (pred - y) / N, missing the 2 of d(pred - y)²/dpred."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.1"]


def l2_loss(pred, y):
    pred, y = np.asarray(pred, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = pred.shape[0]
    diff = pred - y
    return float(np.sum(diff * diff) / n), diff / n
