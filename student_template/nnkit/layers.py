"""The linear (fully connected) layer, forward and backward, on a batch.

One layer of the lecture's network is a linear map ``q = W x`` followed by a
non-linearity; here is the linear part, with a bias and batch first: row
``i`` of ``x`` is one input and row ``i`` of the output is ``W x_i + b``.

Conventions: float64, ``x`` is ``(N, d)``, ``W`` is ``(m, d)`` as in the
lecture, ``b`` is ``(m,)``; inputs are never modified.
"""

import numpy as np


def linear_forward(x, W, b):
    """Linear layer: row ``i`` of the output is ``W x_i + b`` (one input per row of ``x``).

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
    """Backward pass of the linear layer (row ``i`` of the output is ``W x_i + b``).

    The lecture's "Vector Outputs" and "Jacobian Matrix" sections derive the
    gradient of ``W x`` for one input (question 1.5 does it for ``||W x||²``).
    On a batch, every row contributes to the gradients of the shared ``W`` and
    ``b``; each gradient has the shape of what it is the gradient of.

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
