"""The linear (fully connected) layer, forward and backward, on a batch.

One layer of the lecture's network is a linear map ``q = W x`` followed by a
non-linearity; here is the linear part, with a bias and batch first: row
``i`` of ``x`` is one input, ``out_i = W x_i + b``, i.e. ``out = x @ W.T + b``.

Conventions: float64, ``x`` is ``(N, d)``, ``W`` is ``(m, d)`` as in the
lecture, ``b`` is ``(m,)``; inputs are never modified.
"""

import numpy as np


def linear_forward(x, W, b):
    """Linear layer: ``out = x @ Wᵀ + b``, i.e. ``out_i = W x_i + b`` per row.

    Inputs:
    - x: inputs, shape (N, d)
    - W: weights, shape (m, d)
    - b: biases, shape (m,)

    Returns:
    - out: shape (N, m)
    """
    # YOUR CODE HERE
    raise NotImplementedError


def linear_backward(dout, x, W, b):
    """Backward pass of the linear layer ``out = x @ Wᵀ + b``.

    Per row, ``∇_x = Wᵀ dout_i`` and ``∇_W = dout_i x_iᵀ`` (as ``∇_W = 2 q xᵀ``
    for ``||W x||²`` with ``2q`` replaced by the upstream gradient); on the
    batch the per-row gradients of ``W`` and ``b`` add up:
    ``dx = dout @ W``, ``dW = doutᵀ @ x``, ``db = Σ_i dout_i``.

    Inputs:
    - dout: upstream gradient dL/dout, shape (N, m)
    - x: inputs of the forward pass, shape (N, d)
    - W: weights, shape (m, d)
    - b: biases, shape (m,)

    Returns a tuple of:
    - dx: shape (N, d)
    - dW: shape (m, d)
    - db: shape (m,)
    """
    # YOUR CODE HERE
    raise NotImplementedError
