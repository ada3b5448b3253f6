"""Named functions that student code receives as arguments, and worker-side procedures.

A student function may take a callable (the ``f`` of
``numerical_jacobian``, the ``loss_fn`` of ``train``). Callables cannot cross
the process boundary, so the grader sends a *name* plus plain-data
parameters (``protocol.FunctionRef``) and the worker rebuilds the function
with ``make(name, args)``. The same code runs on the trusted side to compute
the expected answers, so both sides agree on what ``f`` is.

Everything here is public math (no hidden data, no reference solution).
This file is copied into the worker's sandbox: standard library and numpy
only, Python 3.10.
"""

from __future__ import annotations

import numpy as np


def affine(A, c):
    """``f(x) = A x + c`` with ``A (m, d)``, ``c (m,)``: Jacobian (lecture layout ``d × m``) is ``A.T``."""
    A = np.array(A, dtype=np.float64)
    c = np.array(c, dtype=np.float64)

    def f(x):
        return A @ np.asarray(x, dtype=np.float64) + c

    return f


def tanh_affine(A, c):
    """``f(x) = tanh(A x + c)``: Jacobian ``A.T * (1 - f(x)²)`` (columns scaled)."""
    g = affine(A, c)

    def f(x):
        return np.tanh(g(x))

    return f


def softmax_regression(reg=0.0):
    """``loss_fn(params, X, y) -> (loss, grads)`` of softmax regression, ``params = {"W": (C, d), "b": (C,)}``.

    Mean softmax cross-entropy plus ``reg · ||W||²``. Written here (not taken
    from the submission) so that ``train`` is graded independently of the
    student's network.
    """
    reg = float(reg)

    def loss_fn(params, X, y):
        W, b = params["W"], params["b"]
        scores = X @ W.T + b
        scores = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        n = X.shape[0]
        loss = -np.mean(np.log(p[np.arange(n), y])) + reg * np.sum(W * W)
        dscores = p
        dscores[np.arange(n), y] -= 1.0
        dscores /= n
        grads = {"W": dscores.T @ X + 2.0 * reg * W, "b": dscores.sum(axis=0)}
        return float(loss), grads

    return loss_fn


def batch_probe():
    """``loss_fn`` that reports which samples each batch held, through the loss it returns.

    ``X[:, 0]`` must hold sample indices 0..n-1 (n ≤ 50): the loss of a batch is
    ``Σ 2^index`` (exact in float64), so ``train``'s ``losses`` list tells the
    grader every batch's set of samples. Gradients are zero: parameters stay.
    """

    def loss_fn(params, X, y):
        loss = float(np.sum(2.0 ** np.asarray(X, dtype=np.float64)[:, 0]))
        return loss, {k: np.zeros_like(np.asarray(v, dtype=np.float64)) for k, v in params.items()}

    return loss_fn


def minibatch_train(loss_fn, params, X, y, lr=0.01, epochs=1, batch_size=32, seed=0, adam=True, cosine=False):
    """Minibatch training with its own shuffling and Adam (or plain SGD): ``(params, losses)``.

    Used to train a student's CNN with the student's ``cnn_loss_and_grads``
    (hw3 has no ``train`` of its own), so only the CNN's functions are graded.
    Adam with the usual β1 = 0.9, β2 = 0.999, ε = 1e-8, bias-corrected.
    ``cosine=True`` anneals the step size from ``lr`` towards 0 along a half
    cosine over all updates: the last updates no longer jump around the
    minimum, so the final accuracy depends much less on the initial draw.
    """
    rng = np.random.default_rng(seed)
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v2 = {k: np.zeros_like(v) for k, v in params.items()}
    losses, t = [], 0
    n = X.shape[0]
    updates = int(epochs) * -(-n // int(batch_size))
    for _ in range(int(epochs)):
        order = rng.permutation(n)
        for start in range(0, n, int(batch_size)):
            idx = order[start:start + int(batch_size)]
            loss, grads = loss_fn(params, X[idx], y[idx])
            rate = lr * 0.5 * (1.0 + np.cos(np.pi * t / updates)) if cosine else lr
            t += 1
            for k in params:
                g = np.asarray(grads[k], dtype=np.float64)
                if adam:
                    m[k] = 0.9 * m[k] + 0.1 * g
                    v2[k] = 0.999 * v2[k] + 0.001 * g * g
                    step = (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v2[k] / (1 - 0.999 ** t)) + 1e-8)
                else:
                    step = g
                params[k] = params[k] - rate * step
            losses.append(float(loss))
    return params, losses


# name -> factory(**args) -> callable, for FunctionRef
FUNCTIONS = {
    "affine": affine,
    "tanh_affine": tanh_affine,
    "softmax_regression": softmax_regression,
    "batch_probe": batch_probe,
}

# name -> procedure the trusted side may run in the worker (``@name`` calls)
PROCEDURES = {
    "minibatch_train": minibatch_train,
}


def make(name: str, args: dict):
    """The callable called ``name`` built from plain-data ``args``; ValueError if unknown."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function reference {name!r}; known: {sorted(FUNCTIONS)}")
    return FUNCTIONS[name](**args)
