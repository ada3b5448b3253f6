"""Gradient checks of homework 1 that ``python -m nnkit_check`` runs on the student's own code.

Shipped as ``nnkit_check/homework_checks.py`` of the student release (numpy only).
Each entry of ``GRADIENT_CHECKS`` is a dict:

- question, function ("module.backward"), forward ("module.forward"): what is checked;
- mode: "backward" (``backward(dout, *args)`` returns one gradient per name in ``grads``,
  compared with central differences of ``forward``), "loss" (``forward(*args)`` returns
  ``(loss, dL/dargs[0])``) or "params" (``forward(params, X, y, reg=...)`` returns
  ``(loss, grads dict)``);
- inputs: ``rng -> (args, kwargs)``;
- at (optional): the kink or tie the spec names, e.g. "x = 0 exactly"; then ``nudge``
  (``args -> args``) moves the inputs to the side whose derivative the spec's convention
  takes (the numeric gradient is taken there, the student's backward at the kink itself),
  and ``kinks`` (``args -> mask``) marks the kink entries for the diagnosis.
"""

import numpy as np


def away_from_zero(rng, shape):
    """Standard normal values with |x| >= 0.1: no kink inside a finite difference."""
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


def with_zeros(rng, shape):
    """``away_from_zero`` with every third entry exactly 0 (ReLU's kink)."""
    x = away_from_zero(rng, shape).ravel()
    x[::3] = 0.0
    return x.reshape(shape)


def distinct(rng, shape):
    """Values at least 1e-3 apart: no ties, so max gradients are well defined."""
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(np.float64) / n * 4 - 2 + rng.uniform(0, 1e-4, n)).reshape(shape)


def bias_first(x):
    """``x`` with its first feature set to the constant 1 (the neuron's bias input)."""
    x = np.array(x)
    x[..., 0] = 1.0
    return x


def tied(rng, shape):
    """Two distinct arrays ``(x, y)`` that are equal on every other entry (max-gate ties)."""
    x, y = distinct(rng, shape), distinct(rng, shape) + 1e-3
    y.ravel()[::2] = x.ravel()[::2]
    return x, y


def below_zero(args):
    """The kink inputs moved just below 0 (the spec: the gradient at 0 is the left one)."""
    return (np.where(args[0] == 0, -1e-3, args[0]),) + tuple(args[1:])


def x_wins_ties(args):
    """Ties moved so that x is the larger input (the spec: a tie's gradient goes to x)."""
    x, y = args
    return np.where(x == y, x + 1e-3, x), y


GRADIENT_CHECKS = [
    dict(question="1.1", function="gates.add_backward", forward="gates.add_forward", mode="backward",
         inputs=lambda r: ((r.standard_normal((3, 4)), r.standard_normal((3, 4))), {}), grads=("dx", "dy")),
    dict(question="1.1", function="gates.mul_backward", forward="gates.mul_forward", mode="backward",
         inputs=lambda r: ((r.standard_normal((3, 4)), r.standard_normal((3, 4))), {}), grads=("dx", "dy")),
    dict(question="1.1", function="gates.max_backward", forward="gates.max_forward", mode="backward",
         inputs=lambda r: ((distinct(r, (3, 4)), distinct(r, (3, 4)) + 1e-3), {}), grads=("dx", "dy")),
    dict(question="1.1", function="gates.max_backward", forward="gates.max_forward", mode="backward",
         at="ties x == y", inputs=lambda r: (tied(r, (3, 4)), {}), grads=("dx", "dy"),
         nudge=x_wins_ties, kinks=lambda args: args[0] == args[1]),
    dict(question="1.2", function="gates.neuron_backward", forward="gates.neuron_forward", mode="backward",
         inputs=lambda r: ((bias_first(r.standard_normal((4, 3))), r.standard_normal(3)), {}), grads=("dx", "dw")),
    dict(question="1.3", function="activations.sigmoid_backward", forward="activations.sigmoid_forward",
         mode="backward", inputs=lambda r: ((r.standard_normal((3, 4)),), {}), grads=("dx",)),
    dict(question="1.3", function="activations.tanh_backward", forward="activations.tanh_forward",
         mode="backward", inputs=lambda r: ((r.standard_normal((3, 4)),), {}), grads=("dx",)),
    dict(question="1.3", function="activations.relu_backward", forward="activations.relu_forward",
         mode="backward", inputs=lambda r: ((away_from_zero(r, (3, 4)),), {}), grads=("dx",)),
    dict(question="1.3", function="activations.relu_backward", forward="activations.relu_forward",
         mode="backward", at="x = 0 exactly", inputs=lambda r: ((with_zeros(r, (3, 4)),), {}), grads=("dx",),
         nudge=below_zero, kinks=lambda args: args[0] == 0),
    dict(question="1.3", function="activations.leaky_relu_backward", forward="activations.leaky_relu_forward",
         mode="backward", inputs=lambda r: ((away_from_zero(r, (3, 4)),), {"alpha": 0.1}), grads=("dx",)),
    dict(question="1.3", function="activations.leaky_relu_backward", forward="activations.leaky_relu_forward",
         mode="backward", at="x = 0 exactly", inputs=lambda r: ((with_zeros(r, (3, 4)),), {"alpha": 0.1}),
         grads=("dx",), nudge=below_zero, kinks=lambda args: args[0] == 0),
    dict(question="1.5", function="jacobians.linear_l2_backward", forward="jacobians.linear_l2_forward",
         mode="backward", inputs=lambda r: ((r.standard_normal((3, 2)), r.standard_normal(2)), {}), grads=("dW", "dx")),
    dict(question="1.6", function="layers.linear_backward", forward="layers.linear_forward", mode="backward",
         inputs=lambda r: ((r.standard_normal((4, 3)), r.standard_normal((2, 3)), r.standard_normal(2)), {}),
         grads=("dx", "dW", "db")),
]
