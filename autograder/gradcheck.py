"""Numeric gradients by central differences, in float64.

Written once and used everywhere: the reference solution's tests, the public
tests shipped to students and the grading engine (which adds the diagnosis of
*what* is wrong on top, see ``autograder.grading``). Must run on Python 3.10.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def numeric_gradient(
    f: Callable[[np.ndarray], object],
    x: np.ndarray,
    dout: np.ndarray | float | None = None,
    h: float = 1e-6,
) -> np.ndarray:
    """Gradient of ``L(x) = sum(f(x) * dout)`` with respect to ``x``.

    Central differences ``(L(x + h e_i) - L(x - h e_i)) / 2h`` on a float64
    copy of ``x``: the caller's array is never modified, and ``f`` must not
    keep a reference to its argument between calls.

    Inputs:
    - f: function of one array shaped like ``x``; returns an array (any
      shape) or a scalar.
    - x: array of any shape, the point at which to differentiate.
    - dout: the upstream gradient ``dL/df``, shaped like ``f(x)``; ``None``
      means 1 (``f`` is then a scalar loss, or the result is ``d sum(f)/dx``).
    - h: step.

    Returns:
    - grad: float64 array shaped like ``x``.
    """
    x = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros_like(x)
    weight = 1.0 if dout is None else np.asarray(dout, dtype=np.float64)
    flat = x.reshape(-1)  # a view: writing flat[i] perturbs x
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = np.sum(np.asarray(f(x), dtype=np.float64) * weight)
        flat[i] = old - h
        minus = np.sum(np.asarray(f(x), dtype=np.float64) * weight)
        flat[i] = old
        grad.reshape(-1)[i] = (plus - minus) / (2.0 * h)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-8) -> float:
    """CS231n's relative error ``max |a - b| / max(floor, |a| + |b|)``, elementwise max."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(floor, np.abs(a) + np.abs(b))))
