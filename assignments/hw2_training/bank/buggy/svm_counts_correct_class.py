"""svm_loss sums the margin over every class, the correct one included (adds 1 per sample)."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.1"]


def svm_loss(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + 1.0
    active = (margins > 0).astype(np.float64)
    loss = np.sum(margins * active) / n
    dscores = active.copy()
    dscores[rows, y] -= np.sum(active, axis=1)
    return float(loss), dscores / n
