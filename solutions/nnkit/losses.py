"""Loss functions and their gradients.

Every loss is the *mean* over the batch (the lecture sums over the training
set; dividing by N keeps the learning rate independent of the batch size) and
returns ``(loss, dpred)``: the loss as a Python float and its gradient with
respect to the prediction, shaped like the prediction. Conventions: float64,
batch first, inputs are never modified. ``max(0, ·)`` terms (hinge, SVM)
pass gradient only where they are strictly positive.
"""

import numpy as np


def _as_float(a):
    """``a`` as a float64 array (a new array only if a conversion is needed)."""
    return np.asarray(a, dtype=np.float64)


def _check_ndim(name, a, ndim, shape_text):
    if a.ndim != ndim:
        raise ValueError(f"{name} must have shape {shape_text}, got shape {a.shape}")


def _check_batch(name, a):
    if a.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one sample, got shape {a.shape}")


def _check_labels(y, n, num_classes):
    """Integer class labels ``y`` of shape ``(n,)`` in ``[0, num_classes)``, as int64."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) (one label per row of scores), got shape {y.shape}")
    if not (np.issubdtype(y.dtype, np.integer) or np.all(np.mod(y, 1) == 0)):
        raise ValueError(f"y must hold integer class labels, got dtype {y.dtype} with non-integer values")
    y = y.astype(np.int64)
    if n and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"labels must lie in [0, {num_classes}) for {num_classes} classes, "
            f"got values in [{y.min()}, {y.max()}]"
        )
    return y


def _check_scores_and_labels(scores, y):
    """Class scores ``(N, C)`` as float64 (N ≥ 1) and their labels as int64 ``(N,)`` in ``[0, C)``."""
    scores = _as_float(scores)
    _check_ndim("scores", scores, 2, "(N, C)")
    _check_batch("scores", scores)
    return scores, _check_labels(y, *scores.shape)


def _check_binary(y, shape, allowed, allowed_text):
    """Binary targets ``y`` of the given shape whose values all lie in ``allowed`` (named ``allowed_text``)."""
    y = _as_float(y)
    if y.shape != shape:
        raise ValueError(f"y must have shape {shape} (like the predictions), got shape {y.shape}")
    if not np.all(np.isin(y, allowed)):
        bad = np.unique(y[~np.isin(y, allowed)])[:5]
        raise ValueError(f"y must take values in {allowed_text}, got {bad.tolist()}")
    return y


def l2_loss(pred, y):
    """Squared-error (L2) loss, averaged over the batch.

    L = (1/N) Σ_i ||pred_i − y_i||²  (a mean over the N rows, a sum over the m outputs)

    Inputs:
    - pred: predictions of shape (N,) or (N, m)
    - y: targets of the same shape as pred

    Returns a tuple of:
    - loss: float
    - dpred: gradient with respect to pred, shape like pred
    """
    ### BEGIN SOLUTION
    pred = _as_float(pred)
    y = _as_float(y)
    if pred.ndim < 1 or pred.shape != y.shape:
        raise ValueError(f"pred and y must have the same shape (N, ...), got {pred.shape} and {y.shape}")
    _check_batch("pred", pred)
    n = pred.shape[0]
    diff = pred - y
    loss = np.sum(diff * diff) / n
    dpred = 2.0 * diff / n
    return float(loss), dpred
    ### END SOLUTION


def hinge_loss(scores, y):
    """Binary hinge loss (the linear SVM's), averaged over the batch.

    L = (1/N) Σ_i max(0, 1 − y_i s_i)

    Convention at the kink (a margin ``y_i s_i`` of exactly 1): no gradient there.

    Inputs:
    - scores: real-valued scores s of shape (N,)
    - y: labels of shape (N,) with values in {−1, +1}

    Returns a tuple of:
    - loss: float
    - dscores: gradient with respect to scores, shape (N,)
    """
    ### BEGIN SOLUTION
    scores = _as_float(scores)
    _check_ndim("scores", scores, 1, "(N,)")
    _check_batch("scores", scores)
    y = _check_binary(y, scores.shape, (-1.0, 1.0), "{-1, +1}")
    n = scores.shape[0]
    margins = 1.0 - y * scores
    active = margins > 0
    loss = np.sum(margins[active]) / n
    dscores = np.where(active, -y, 0.0) / n
    return float(loss), dscores
    ### END SOLUTION


def svm_loss(scores, y):
    """Multiclass SVM (Weston–Watkins) loss with margin 1, averaged over the batch.

    L = (1/N) Σ_i Σ_{j ≠ y_i} max(0, s_ij − s_i,y_i + 1)

    Convention at the kink: a margin term of exactly 0 passes no gradient (only
    strictly positive terms count).

    Inputs:
    - scores: class scores of shape (N, C)
    - y: integer labels of shape (N,), each in [0, C)

    Returns a tuple of:
    - loss: float
    - dscores: gradient with respect to scores, shape (N, C)
    """
    ### BEGIN SOLUTION
    scores, y = _check_scores_and_labels(scores, y)
    n = scores.shape[0]
    rows = np.arange(n)
    correct = scores[rows, y][:, None]
    margins = scores - correct + 1.0
    margins[rows, y] = 0.0  # the correct class is not compared with itself
    active = (margins > 0).astype(np.float64)
    loss = np.sum(margins * active) / n
    dscores = active
    dscores[rows, y] = -np.sum(active, axis=1)
    return float(loss), dscores / n
    ### END SOLUTION


def l2_regularization(W, reg):
    """L2 weight penalty ``reg · Σ W²`` (weight decay) and its gradient.

    Inputs:
    - W: weights of any shape, e.g. (m, d)
    - reg: regularisation strength, a float ≥ 0

    Returns a tuple of:
    - loss: float, reg · Σ_ij W_ij²
    - dW: gradient with respect to W, shape like W
    """
    ### BEGIN SOLUTION
    W = _as_float(W)
    reg = float(reg)
    if not reg >= 0:
        raise ValueError(f"reg must be a number >= 0, got {reg}")
    return float(reg * np.sum(W * W)), 2.0 * reg * W
    ### END SOLUTION


def binary_cross_entropy(logits, y):
    """Binary cross-entropy on logits (logistic regression's loss), averaged over the batch.

    With p_i = σ(z_i) = 1 / (1 + e^(−z_i)):
    L = −(1/N) Σ_i [y_i log p_i + (1 − y_i) log(1 − p_i)]
    It must be finite and warning-free for any logit (±1000 included): write
    the loss in terms of z directly rather than of p.

    Hint: ``log(1 − σ(z)) = log σ(z) − z``, and ``np.logaddexp(0, z) = log(1 + e^z)``.

    Inputs:
    - logits: real-valued z of shape (N,)
    - y: targets of shape (N,) with values in {0, 1}

    Returns a tuple of:
    - loss: float
    - dlogits: gradient with respect to logits, shape (N,)
    """
    ### BEGIN SOLUTION
    z = _as_float(logits)
    _check_ndim("logits", z, 1, "(N,)")
    _check_batch("logits", z)
    y = _check_binary(y, z.shape, (0.0, 1.0), "{0, 1}")
    n = z.shape[0]
    loss = np.sum(np.logaddexp(0.0, z) - y * z) / n
    # σ(z) = exp(−log(1 + e^(−z))): never overflows (at most underflows to 0)
    sigma = np.exp(-np.logaddexp(0.0, -z))
    return float(loss), (sigma - y) / n
    ### END SOLUTION


def softmax_cross_entropy(scores, y):
    """Softmax cross-entropy loss, averaged over the batch.

    p_ij = e^(s_ij) / Σ_k e^(s_ik),   L = −(1/N) Σ_i log p_i,y_i

    It must be finite for any score (±1000 included).

    Hint: softmax does not change when a constant is subtracted from a row.

    Inputs:
    - scores: class scores of shape (N, C)
    - y: integer labels of shape (N,), each in [0, C)

    Returns a tuple of:
    - loss: float
    - dscores: gradient with respect to scores, shape (N, C)
    """
    ### BEGIN SOLUTION
    scores, y = _check_scores_and_labels(scores, y)
    n = scores.shape[0]
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -np.sum(log_probs[rows, y]) / n
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    return float(loss), dscores / n
    ### END SOLUTION
