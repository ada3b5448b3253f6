"""svm_loss counts a margin of exactly 0 as violated (margins >= 0): wrong gradient at the hinge's kink."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.1"]


def svm_loss(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y)
    if scores.ndim != 2 or y.shape != (scores.shape[0],) or scores.shape[0] < 1:
        raise ValueError(f"expected scores (N, C) and labels (N,), got {scores.shape} and {y.shape}")
    if y.min() < 0 or y.max() >= scores.shape[1] or not np.all(np.mod(y, 1) == 0):
        raise ValueError("labels must be integers in [0, C)")
    y = y.astype(np.int64)
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + 1.0
    active = (margins >= 0).astype(np.float64)
    active[rows, y] = 0.0
    loss = np.sum(np.maximum(margins, 0.0) * active) / n
    dscores = active.copy()
    dscores[rows, y] = -active.sum(axis=1)
    return float(loss), dscores / n
