"""softmax_cross_entropy shifts by the global max, not each row's: a row far below it underflows to log(0)."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.2"]


def softmax_cross_entropy(scores, y):
    scores, y = _check_scores_and_labels(scores, y)  # the reference's argument checks
    n = scores.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        exp = np.exp(scores - np.max(scores))
        probs = exp / exp.sum(axis=1, keepdims=True)
        loss = -np.sum(np.log(probs[np.arange(n), y])) / n
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n
