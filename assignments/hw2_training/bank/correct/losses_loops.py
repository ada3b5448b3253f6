"""The multiclass SVM with loops over samples and classes; softmax through a log-sum-exp."""
import numpy as np

MODULE = "losses"


def _labels(scores, y):
    if scores.ndim != 2 or scores.shape[0] < 1:
        raise ValueError(f"scores must have shape (N, C), got {scores.shape}")
    y = np.asarray(y)
    n, c = scores.shape
    if y.shape != (n,) or not np.all(np.mod(y, 1) == 0) or y.min() < 0 or y.max() >= c:
        raise ValueError(f"y must hold {n} integer labels in [0, {c}), got {y!r}")
    return y.astype(np.int64)


def svm_loss(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = _labels(scores, y)
    n, c = scores.shape
    loss = 0.0
    dscores = np.zeros_like(scores)
    for i in range(n):
        for j in range(c):
            if j == y[i]:
                continue
            margin = scores[i, j] - scores[i, y[i]] + 1.0
            if margin > 0:
                loss += margin
                dscores[i, j] += 1.0
                dscores[i, y[i]] -= 1.0
    return float(loss / n), dscores / n


def softmax_cross_entropy(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = _labels(scores, y)
    n = scores.shape[0]
    log_norm = np.logaddexp.reduce(scores, axis=1, keepdims=True)
    log_probs = scores - log_norm
    loss = -np.mean(log_probs[np.arange(n), y])
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n
