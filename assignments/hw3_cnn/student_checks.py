"""Gradient checks of homework 3 that ``python -m nnkit_check`` runs on the student's own code.

Shipped as ``nnkit_check/homework_checks.py`` of the student release (numpy only); the
format of ``GRADIENT_CHECKS`` is described in assignments/hw1_backprop/student_checks.py.
"""

import numpy as np


def distinct(rng, shape):
    """Values at least 1e-3 apart: no ties, so max-pool gradients are well defined."""
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(np.float64) / n * 4 - 2 + rng.uniform(0, 1e-4, n)).reshape(shape)


def pool_ties(rng, shape):
    """Small integers, so that most 2×2 windows hold a tied maximum."""
    return rng.integers(0, 3, shape).astype(np.float64)


def first_wins_ties(args):
    """Ties broken in row-major order, the first entry largest (the spec: the FIRST maximum
    of a window gets its gradient); values differ by 1 or more, the nudges by < 0.01."""
    x = args[0]
    order = np.arange(x.size, dtype=np.float64).reshape(x.shape) / x.size
    return (x - 1e-2 * order,) + tuple(args[1:])


def window_ties(args):
    """Entries equal to another entry of their 2×2 window (a tie the convention decides)."""
    x = args[0]
    windows = x.reshape(x.shape[0], x.shape[1], x.shape[2] // 2, 2, x.shape[3] // 2, 2)
    top = windows.max(axis=(3, 5), keepdims=True)
    count = (windows == top).sum(axis=(3, 5), keepdims=True)
    return ((windows == top) & (count > 1)).reshape(x.shape)


def cnn_params(rng):
    """Parameters of the small CNN for 1×4×4 inputs, 2 filters 3×3 (pad 1), 3 classes."""
    return {"W1": rng.standard_normal((2, 1, 3, 3)) * 0.5, "b1": rng.standard_normal(2) * 0.2,
            "W2": rng.standard_normal((3, 2 * 2 * 2)) * 0.3, "b2": rng.standard_normal(3) * 0.2}


GRADIENT_CHECKS = [
    dict(question="3.3", function="conv.conv_backward", forward="conv.conv_forward", mode="backward",
         inputs=lambda r: ((r.standard_normal((2, 2, 4, 4)), r.standard_normal((3, 2, 3, 3)), r.standard_normal(3)),
                           {"stride": 1, "pad": 1}), grads=("dx", "dw", "db")),
    dict(question="3.3", function="conv.conv_backward", forward="conv.conv_forward", mode="backward",
         at="stride 2", inputs=lambda r: ((r.standard_normal((1, 2, 5, 5)), r.standard_normal((2, 2, 3, 3)),
                                           r.standard_normal(2)), {"stride": 2, "pad": 0}), grads=("dx", "dw", "db")),
    dict(question="3.4", function="conv.max_pool_backward", forward="conv.max_pool_forward", mode="backward",
         inputs=lambda r: ((distinct(r, (2, 2, 4, 4)),), {}), grads=("dx",)),
    dict(question="3.4", function="conv.max_pool_backward", forward="conv.max_pool_forward", mode="backward",
         at="tied maxima", inputs=lambda r: ((pool_ties(r, (2, 2, 4, 4)),), {}), grads=("dx",),
         nudge=first_wins_ties, kinks=window_ties),
    dict(question="3.5", function="conv.cnn_loss_and_grads", forward="conv.cnn_loss_and_grads", mode="params",
         inputs=lambda r: ((cnn_params(r), r.standard_normal((3, 1, 4, 4)), np.array([0, 2, 1])), {"reg": 0.05}),
         grads=()),
]
