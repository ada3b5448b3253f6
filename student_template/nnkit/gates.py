"""Gates of a computational graph and the sigmoid neuron, forward and backward.

Each gate ``f(x, y)`` has a forward function and a backward function. The
backward function takes the upstream gradient ``dout = dL/df`` and the forward
inputs, and returns the local gradients times ``dout`` (the chain rule
``dL/dx = dL/df · df/dx``), one per input, each shaped like its input.

Conventions: float64, ``x`` and ``y`` of a gate have the same (any) shape and
the gate acts elementwise; inputs are never modified.
"""

import numpy as np


def add_forward(x, y):
    """Add gate: ``f = x + y``, elementwise.

    Inputs:
    - x: array of any shape
    - y: array of the same shape as x

    Returns:
    - out: x + y, float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def add_backward(dout, x, y):
    """Backward pass of the add gate: the gradient *distributor*.

    ``df/dx = df/dy = 1``, so both inputs receive the upstream gradient as is:
    ``dL/dx = dL/dy = dout``.

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: first input of the forward pass, any shape
    - y: second input, same shape as x

    Returns a tuple of:
    - dx: dL/dx, shape like x
    - dy: dL/dy, shape like y
    """
    # YOUR CODE HERE
    raise NotImplementedError


def mul_forward(x, y):
    """Multiply gate: ``f = x · y``, elementwise.

    Inputs:
    - x: array of any shape
    - y: array of the same shape as x

    Returns:
    - out: x * y, float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def mul_backward(dout, x, y):
    """Backward pass of the multiply gate: the gradient *switcher*.

    The lecture's "Derivatives for different gates": each input's gradient
    involves the upstream gradient and the *other* input.

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: first input of the forward pass, any shape
    - y: second input, same shape as x

    Returns a tuple of:
    - dx: dL/dx, shape like x
    - dy: dL/dy, shape like y
    """
    # YOUR CODE HERE
    raise NotImplementedError


def max_forward(x, y):
    """Max gate: ``f = max(x, y)``, elementwise.

    Inputs:
    - x: array of any shape
    - y: array of the same shape as x

    Returns:
    - out: max(x, y), float64, shape like x
    """
    # YOUR CODE HERE
    raise NotImplementedError


def max_backward(dout, x, y):
    """Backward pass of the max gate: the gradient *router*.

    ``df/dx = 1`` where ``x`` is the larger input and 0 elsewhere (likewise for
    ``y``): the whole upstream gradient goes to the input that won, the other
    gets 0. On ties (``x == y``) the gradient goes to ``x``.

    Inputs:
    - dout: upstream gradient dL/df, shape like x
    - x: first input of the forward pass, any shape
    - y: second input, same shape as x

    Returns a tuple of:
    - dx: dout where x >= y, else 0; shape like x
    - dy: dout where y > x, else 0; shape like y
    """
    # YOUR CODE HERE
    raise NotImplementedError


def neuron_forward(x, w):
    """Sigmoid neuron: ``f(x, w) = σ(x · w) = 1 / (1 + exp(−(w0 + w1 x1 + … )))``.

    The first feature of ``x`` is the constant 1, so ``w0`` is the bias
    (``x = (1, x1, x2)``, ``w = (w0, w1, w2)`` in the lecture). σ is computed
    stably: no overflow for any ``x · w``, ±1000 included.

    Inputs:
    - x: one input of shape (d,), or a batch of shape (N, d); column 0 holds 1
    - w: weights of shape (d,)

    Returns:
    - out: σ(x · w); shape (N,) for a batch, a float64 scalar (shape ()) for
      a single input of shape (d,)
    """
    # YOUR CODE HERE
    raise NotImplementedError


def neuron_backward(dout, x, w):
    """Backward pass of the sigmoid neuron ``f = σ(z)``, ``z = x · w``.

    Chain rule through the sigmoid block, ``dσ/dz = σ(z)(1 − σ(z))``, then
    through the dot product (a sum of mul gates, so the gradient switches):
    ``dL/dz = dout · σ(z)(1 − σ(z))``, ``dL/dx = dL/dz · w``,
    ``dL/dw = Σ_i dL/dz_i · x_i`` (summed over the batch).

    Inputs:
    - dout: upstream gradient dL/df, shape (N,) for a batch, () for one input
    - x: input of the forward pass, shape (d,) or (N, d)
    - w: weights, shape (d,)

    Returns a tuple of:
    - dx: dL/dx, shape like x
    - dw: dL/dw, shape (d,)
    """
    # YOUR CODE HERE
    raise NotImplementedError
