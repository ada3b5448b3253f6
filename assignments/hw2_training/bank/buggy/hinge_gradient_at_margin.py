"""hinge_loss passes gradient where the margin is exactly 1 (1 - y s >= 0 instead of > 0)."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.1"]


def hinge_loss(scores, y):
    scores, y = np.asarray(scores, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = scores.shape[0]
    margins = 1.0 - y * scores
    active = margins >= 0
    return float(np.sum(np.maximum(margins, 0.0)) / n), np.where(active, -y, 0.0) / n
