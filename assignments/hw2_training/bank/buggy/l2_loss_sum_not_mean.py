"""l2_loss sums over the batch instead of averaging (no 1/N in loss and gradient)."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.1"]


def l2_loss(pred, y):
    pred, y = np.asarray(pred, dtype=np.float64), np.asarray(y, dtype=np.float64)
    diff = pred - y
    return float(np.sum(diff * diff)), 2.0 * diff
