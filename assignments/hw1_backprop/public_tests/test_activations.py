"""Public tests of nnkit/activations.py: values by hand and numeric gradients."""

import numpy as np
import pytest

from nnkit.activations import (leaky_relu_backward, leaky_relu_forward, relu_backward, relu_forward,
                               sigmoid_backward, sigmoid_forward, tanh_backward, tanh_forward)
from nnkit_check.gradcheck import numeric_gradient, rel_error

# Relative error of a correct float64 gradient against central differences stays far below
# this; a wrong factor, sign or transpose gives 1e-1 or more.
TOL = 1e-5

PAIRS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
}


def away_from_zero(shape, seed):
    """Random values with |x| >= 0.1, so that ReLU's kink at 0 is never inside a finite difference."""
    x = np.random.default_rng(seed).standard_normal(shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


def test_forward_values_by_hand():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(sigmoid_forward(x), 1.0 / (1.0 + np.exp(-x)))
    np.testing.assert_allclose(tanh_forward(x), np.tanh(x))
    np.testing.assert_allclose(relu_forward(x), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu_forward(x), [-0.02, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu_forward(x, alpha=0.5), [-1.0, 0.0, 3.0])


def test_sigmoid_derivative_at_zero():
    # σ'(0) = σ(0)(1 − σ(0)) = 1/4
    np.testing.assert_allclose(sigmoid_backward(np.array([1.0]), np.array([0.0])), [0.25])


def test_sigmoid_is_right_for_large_inputs():
    # exp(1000) overflows: the answer must still be 0 and 1, not nan
    with np.errstate(over="ignore"):
        out = sigmoid_forward(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 1.0], atol=1e-12,
                               err_msg="sigmoid_forward must give 0 and 1 (not nan) for x = -1000 and 1000")


def test_relu_passes_gradient_only_where_positive():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(relu_backward(np.array([5.0, 5.0, 5.0]), x), [0.0, 0.0, 5.0])
    np.testing.assert_allclose(leaky_relu_backward(np.array([5.0, 5.0, 5.0]), x, alpha=0.1),
                               [0.5, 0.5, 5.0])


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_backward_matches_numeric_gradient(name):
    forward, backward = PAIRS[name]
    x = away_from_zero((4, 5), seed=3)
    dout = np.random.default_rng(4).standard_normal(x.shape)
    dx = backward(dout, x)
    assert np.shape(dx) == x.shape, f"{name}_backward must return dx shaped like x"
    err = rel_error(dx, numeric_gradient(forward, x, dout))
    assert err < TOL, f"{name}_backward disagrees with the numeric gradient (relative error {err:.2e})"


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_activations_do_not_modify_inputs(name):
    forward, backward = PAIRS[name]
    x = np.array([-1.0, 0.5, 2.0])
    x0 = x.copy()
    forward(x)
    backward(np.ones(3), x)
    np.testing.assert_array_equal(x, x0)
