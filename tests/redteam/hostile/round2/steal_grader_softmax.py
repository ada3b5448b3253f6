"""Stealing a solution from the worker's own files: 2.2's softmax cross-entropy and its gradient computed
with the grader's ``callables.softmax_regression`` (issue 12, finding 3: it earned 3/4 of 2.2.2).

The worker's directory is on ``sys.path``, so ``import callables`` finds the grader's copy.
"""
HW = "hw2_training"
MODULE = "losses"
KEEP = ["2.2"]


def softmax_cross_entropy(scores, y):
    import callables   # the grader's file next to worker.py

    scores = np.asarray(scores, dtype=np.float64)
    n = scores.shape[0]
    loss_fn = callables.softmax_regression(0.0)
    # scores = I_n @ W.T + 0 with W = scores.T: the model's scores are the given ones
    loss, grads = loss_fn({"W": scores.T.copy(), "b": np.zeros(scores.shape[1])}, np.eye(n), np.asarray(y))
    return loss, grads["W"].T
