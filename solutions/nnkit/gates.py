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
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"add_forward: x and y must have the same shape, got {x.shape} and {y.shape}")
    return x + y
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    dout, x, y = (np.asarray(a, dtype=np.float64) for a in (dout, x, y))
    if x.shape != y.shape or dout.shape != x.shape:
        raise ValueError(
            f"add_backward: dout, x and y must have the same shape, got {dout.shape}, {x.shape}, {y.shape}"
        )
    return dout.copy(), dout.copy()  # copies: the two gradients must not alias dout or each other
    ### END SOLUTION


def mul_forward(x, y):
    """Multiply gate: ``f = x · y``, elementwise.

    Inputs:
    - x: array of any shape
    - y: array of the same shape as x

    Returns:
    - out: x * y, float64, shape like x
    """
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"mul_forward: x and y must have the same shape, got {x.shape} and {y.shape}")
    return x * y
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    dout, x, y = (np.asarray(a, dtype=np.float64) for a in (dout, x, y))
    if x.shape != y.shape or dout.shape != x.shape:
        raise ValueError(
            f"mul_backward: dout, x and y must have the same shape, got {dout.shape}, {x.shape}, {y.shape}"
        )
    return dout * y, dout * x
    ### END SOLUTION


def max_forward(x, y):
    """Max gate: ``f = max(x, y)``, elementwise.

    Inputs:
    - x: array of any shape
    - y: array of the same shape as x

    Returns:
    - out: max(x, y), float64, shape like x
    """
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"max_forward: x and y must have the same shape, got {x.shape} and {y.shape}")
    return np.maximum(x, y)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    dout, x, y = (np.asarray(a, dtype=np.float64) for a in (dout, x, y))
    if x.shape != y.shape or dout.shape != x.shape:
        raise ValueError(
            f"max_backward: dout, x and y must have the same shape, got {dout.shape}, {x.shape}, {y.shape}"
        )
    x_wins = x >= y  # ">=": a tie counts as a win for x
    return np.where(x_wins, dout, 0.0), np.where(x_wins, 0.0, dout)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"neuron_forward: expected x (d,) or (N, d) and w (d,), got x {x.shape} and w {w.shape}"
        )
    z = x @ w
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows, unlike exp(-z) for z = -1000
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]  # [()] turns a 0-d array into a scalar
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    if w.ndim != 1 or x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"neuron_backward: expected x (d,) or (N, d) and w (d,), got x {x.shape} and w {w.shape}"
        )
    if dout.shape != x.shape[:-1]:
        raise ValueError(
            f"neuron_backward: dout must have shape {x.shape[:-1]} (the output's), got {dout.shape}"
        )
    z = x @ w
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    dz = dout * s * (1.0 - s)  # (N,) or ()
    dx = dz[..., None] * w  # (N, 1) * (d,) -> (N, d); () -> (d,)
    dw = dz @ x if x.ndim == 2 else dz * x  # sum over the batch of dz_i x_i
    return dx, dw
    ### END SOLUTION
