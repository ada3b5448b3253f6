"""softmax_cross_entropy exponentiates the raw scores (no max shift): NaN for scores like 1000."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.2"]


def softmax_cross_entropy(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    n = scores.shape[0]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        exp = np.exp(scores)
        probs = exp / np.sum(exp, axis=1, keepdims=True)
        rows = np.arange(n)
        loss = -np.sum(np.log(probs[rows, y])) / n
    dscores = probs.copy()
    dscores[rows, y] -= 1.0
    return float(loss), dscores / n
