"""svm_loss counts a margin of exactly 0 as violated (margins >= 0): wrong gradient at the hinge's kink."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.1"]


def svm_loss(scores, y):
    scores, y = _check_scores_and_labels(scores, y)  # the reference's argument checks
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + 1.0
    active = (margins >= 0).astype(np.float64)
    active[rows, y] = 0.0
    loss = np.sum(np.maximum(margins, 0.0) * active) / n
    dscores = active.copy()
    dscores[rows, y] = -active.sum(axis=1)
    return float(loss), dscores / n
