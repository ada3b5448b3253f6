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

    The lecture's "Derivatives for different gates": what the add gate does to
    the upstream gradient is in its nickname.

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

    The lecture's "Derivatives for different gates".

    Hint: each input's gradient involves the upstream gradient and the
    *other* input.

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

    The lecture's "Derivatives for different gates" (max gate). Convention at
    a tie (``x == y``, where the max has no derivative): the gradient goes to
    ``x``, ``y`` gets none.

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

    The lecture's "Backpropagation for Sigmoid!": the chain rule through the
    sigmoid block, then through the dot product. On a batch, ``w`` is shared by
    every row, so each row contributes to ``dw``.

    Hint: the dot product is a sum of mul gates (see ``mul_backward``).

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
