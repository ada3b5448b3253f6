"""Gradient checks of homework 2 that ``python -m nnkit_check`` runs on the student's own code.

Shipped as ``nnkit_check/homework_checks.py`` of the student release (numpy only); the
format of ``GRADIENT_CHECKS`` is described in assignments/hw1_backprop/student_checks.py.
"""

import numpy as np


def away_from_zero(rng, shape):
    """Standard normal values with |x| >= 0.1: no kink inside a finite difference."""
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


def distinct(rng, shape):
    """Values at least 1e-3 apart: no ties, so margins are never exactly met."""
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(np.float64) / n * 4 - 2 + rng.uniform(0, 1e-4, n)).reshape(shape)


def net_params(rng, sizes):
    """Parameters W1, b1, ... of a network with layer sizes ``sizes`` (the keys init_params makes)."""
    layers = list(zip(sizes[:-1], sizes[1:]))
    weights = {f"W{k}": rng.standard_normal((m, d)) * 0.7 for k, (d, m) in enumerate(layers, 1)}
    biases = {f"b{k}": rng.standard_normal(m) * 0.3 for k, (_, m) in enumerate(layers, 1)}
    return {**weights, **biases}


GRADIENT_CHECKS = [
    dict(question="2.1", function="losses.l2_loss", forward="losses.l2_loss", mode="loss",
         inputs=lambda r: ((r.standard_normal((4, 3)), r.standard_normal((4, 3))), {}), grads=("dpred",)),
    dict(question="2.1", function="losses.hinge_loss", forward="losses.hinge_loss", mode="loss",
         inputs=lambda r: ((away_from_zero(r, (5,)) * 3, np.array([1, -1, 1, -1, 1])), {}), grads=("dscores",)),
    dict(question="2.1", function="losses.svm_loss", forward="losses.svm_loss", mode="loss",
         inputs=lambda r: ((distinct(r, (4, 3)) * 3, np.array([0, 2, 1, 2])), {}), grads=("dscores",)),
    dict(question="2.2", function="losses.binary_cross_entropy", forward="losses.binary_cross_entropy", mode="loss",
         inputs=lambda r: ((r.standard_normal(5), np.array([1, 0, 1, 1, 0])), {}), grads=("dlogits",)),
    dict(question="2.2", function="losses.softmax_cross_entropy", forward="losses.softmax_cross_entropy",
         mode="loss", inputs=lambda r: ((r.standard_normal((4, 3)), np.array([0, 2, 1, 2])), {}), grads=("dscores",)),
    dict(question="2.2", function="losses.l2_regularization", forward="losses.l2_regularization", mode="loss",
         inputs=lambda r: ((r.standard_normal((3, 2)), 0.1), {}), grads=("dW",)),
    dict(question="2.4", function="network.loss_and_grads", forward="network.loss_and_grads", mode="params",
         inputs=lambda r: ((net_params(r, [4, 5, 3]), r.standard_normal((6, 4)), r.integers(0, 3, 6)), {"reg": 0.1}),
         grads=()),
]
