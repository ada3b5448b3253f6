"""Named functions that student code receives as arguments, built in the worker.

A student function may take a callable (the ``f`` of
``numerical_jacobian``, the ``loss_fn`` of ``train``). Callables cannot cross
the process boundary, so the grader sends a *name* plus plain-data
parameters (``protocol.FunctionRef``) and the worker rebuilds the function
with ``make(name, args)``. The same code runs on the trusted side to compute
the expected answers, so both sides agree on what ``f`` is.

This file is copied into the worker's sandbox, where the submission can
read it: it holds only functions that compute what their question gives
away anyway (a probe that reports the batches ``train`` forms), never a
graded function, a gradient or an update rule that answers one, nor a
function whose formula answers one (the ``f`` of ``numerical_jacobian``:
its closure would hold ``A``, whose transpose is the Jacobian). Those run on
the trusted side and reach the worker as callbacks (``trusted.py``).
Standard library and numpy only, Python 3.10.
"""

from __future__ import annotations

import numpy as np


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


# name -> factory(**args) -> callable, for FunctionRef
FUNCTIONS = {
    "batch_probe": batch_probe,
}


def make(name: str, args: dict):
    """The callable called ``name`` built from plain-data ``args``; ValueError if unknown."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function reference {name!r}; known: {sorted(FUNCTIONS)}")
    return FUNCTIONS[name](**args)
