"""softmax_cross_entropy shifts by the global max, not each row's: a row far below it underflows to log(0)."""
import numpy as np

MODULE = "losses"
KILLED_BY = ["2.2"]


def softmax_cross_entropy(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y)
    if scores.ndim != 2 or y.shape != (scores.shape[0],) or scores.shape[0] < 1:
        raise ValueError(f"expected scores (N, C) and labels (N,), got {scores.shape} and {y.shape}")
    if y.min() < 0 or y.max() >= scores.shape[1] or not np.all(np.mod(y, 1) == 0):
        raise ValueError("labels must be integers in [0, C)")
    y = y.astype(np.int64)
    n = scores.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        exp = np.exp(scores - np.max(scores))
        probs = exp / exp.sum(axis=1, keepdims=True)
        loss = -np.sum(np.log(probs[np.arange(n), y])) / n
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n
