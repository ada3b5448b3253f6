"""Activation functions (non-linearities), forward and backward, elementwise.

Each backward function takes the upstream gradient ``dout = dL/df`` and the
forward input ``x`` and returns ``dL/dx = dout · f'(x)``, shaped like ``x``.

Conventions: float64, any shape, inputs are never modified. ``max(0, ·)``
passes gradient only where its input is strictly positive, so the ReLU
gradient at exactly 0 is 0 (and leaky ReLU's is ``alpha``).
"""

import numpy as np


def sigmoid_forward(x):
    """Sigmoid: ``σ(y) = 1 / (1 + e^(−y))``, elementwise, numerically stable.

    ``exp(−y)`` overflows for ``y = −1000``; with ``e = exp(−|y|) ≤ 1`` the
    same value is ``1 / (1 + e)`` for ``y ≥ 0`` and ``e / (1 + e)`` for
    ``y < 0``, which never overflows.

    Inputs:
    - x: array of any shape

    Returns:
    - out: σ(x) in [0, 1], float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def sigmoid_backward(dout, x):
    """Backward pass of the sigmoid: ``dL/dx`` from the upstream gradient ``dout``.

    The lecture's "Derivative of sigmoid" writes ``dσ/dy`` in terms of ``σ(y)``
    itself; a saturated neuron (``|x|`` large) passes (almost) no gradient.

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: input of the forward pass, any shape

    Returns:
    - dx: dL/dx, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def tanh_forward(x):
    """Tanh: ``tanh y = (e^y − e^(−y)) / (e^y + e^(−y))``, elementwise.

    Inputs:
    - x: array of any shape

    Returns:
    - out: tanh(x) in [−1, 1], float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def tanh_backward(dout, x):
    """Backward pass of tanh (like the sigmoid's, its derivative is a function of its output).

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: input of the forward pass, any shape

    Returns:
    - dx: dL/dx, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def relu_forward(x):
    """ReLU, rectified linear unit: ``ReLU(y) = max(0, y)``, elementwise.

    Inputs:
    - x: array of any shape

    Returns:
    - out: max(0, x), float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def relu_backward(dout, x):
    """Backward pass of ReLU (the lecture's "ReLU, Rectified Linear Units").

    ReLU is a max gate against 0. Convention at the kink (input exactly 0,
    where ReLU has no derivative): the gradient there is 0.

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: input of the forward pass, any shape

    Returns:
    - dx: dL/dx, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def leaky_relu_forward(x, alpha=0.01):
    """Leaky ReLU: ``f(y) = y`` for ``y > 0``, ``alpha · y`` otherwise.

    Unlike ReLU, a negative input still passes a small gradient, so a unit
    cannot "die".

    Inputs:
    - x: array of any shape
    - alpha: slope for non-positive inputs, a scalar

    Returns:
    - out: leaky ReLU of x, float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def leaky_relu_backward(dout, x, alpha=0.01):
    """Backward pass of leaky ReLU.

    Convention at the kink (input exactly 0): the slope there is the one of
    the non-positive side, ``alpha``, as for ReLU (whose slope there is 0).

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: input of the forward pass, any shape
    - alpha: slope for non-positive inputs, a scalar (the forward pass's)

    Returns:
    - dx: dL/dx, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError
