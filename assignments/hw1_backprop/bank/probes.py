"""Probe inputs for hw1's bank (tests/test_bank.py): function name -> list of (args, kwargs).

Valid inputs that include the edge cases the mutants get wrong (exact zeros, ties,
±1000, d ≠ m, a curved function for the Jacobian): every buggy entry must differ
from the reference on one of them, every correct alternative must agree on all.
"""
import numpy as np

r = np.random.default_rng(1)
a, b, d = r.standard_normal((3, 4)), r.standard_normal((3, 4)), r.standard_normal((3, 4))
ties_x, ties_y = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[1.0, 0.0], [3.0, 5.0]])
with_zero = np.array([-2.0, 0.0, 0.0, 1.5, 3.0])
X1 = np.hstack([np.ones((5, 1)), r.standard_normal((5, 2))])
big = np.array([-1000.0, -3.0, 0.0, 2.0, 1000.0])
W23, W33 = r.standard_normal((2, 3)), r.standard_normal((3, 3))
x3 = r.standard_normal(3)


def curved(v):
    """R³ → R²: a function with curvature, so that a forward difference is visibly off."""
    return np.array([v[0] * v[1], np.sin(v[2]) + v[0] ** 2])


PROBES = {
    "add_backward": [((d, a, b), {})],
    "mul_backward": [((d, a, b), {})],
    "max_backward": [((np.array([[2.0, -1.0], [0.5, 4.0]]), ties_x, ties_y), {}), ((d, a, b), {})],
    "neuron_forward": [((X1, r.standard_normal(3)), {}), ((X1[0], np.array([0.5, -1.0, 2.0])), {}),
                       ((np.array([[1.0, 500.0, 0.0], [1.0, -500.0, 0.0]]), np.array([0.0, 2.0, 1.0])), {})],  # x·w = ±1000
    "neuron_backward": [((r.standard_normal(5), X1, np.array([0.5, -1.0, 2.0])), {}),
                        ((np.float64(1.3), X1[0], np.array([0.5, -1.0, 2.0])), {})],
    "sigmoid_forward": [((big,), {}), ((a,), {})],
    "sigmoid_backward": [((d, a), {}), ((np.ones(5), big), {})],
    "tanh_forward": [((big,), {}), ((a,), {})],
    "tanh_backward": [((d, a), {})],
    "relu_backward": [((np.arange(1.0, 6.0), with_zero), {}), ((d, a), {})],
    "leaky_relu_backward": [((np.arange(1.0, 6.0), with_zero), {"alpha": 0.2}), ((d, a), {})],
    "numerical_jacobian": [((curved, x3), {})],
    "relu_jacobian": [((with_zero,), {})],
    "chain_rule": [((r.standard_normal((3, 2)), r.standard_normal(2)), {}), ((W33, x3), {})],
    "linear_l2_backward": [((1.5, W23, x3), {}), ((2.0, W33, x3), {})],
    "linear_forward": [((a, r.standard_normal((2, 4)), r.standard_normal(2)), {}), ((a[:, :3], W33, x3), {})],
    "linear_backward": [((r.standard_normal((3, 2)), a[:, :3], W23, r.standard_normal(2)), {})],
}
