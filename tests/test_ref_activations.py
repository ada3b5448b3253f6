"""Reference solution, nnkit.activations: sigmoid, tanh, ReLU, leaky ReLU."""

import functools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy.special import expit

from nnkit.activations import (
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from test_ref_common import assert_grads_match, away_from_zero, call_unmodified, signed_magnitudes

SHAPES = [(), (7,), (3, 4), (2, 3, 2)]


# --- values by hand --------------------------------------------------------------------------


def test_sigmoid_and_tanh_at_zero():
    # σ(0) = 1/2 and σ'(0) = σ(0)(1 − σ(0)) = 1/4; tanh(0) = 0 and tanh'(0) = 1 − 0² = 1.
    assert sigmoid_forward(0.0) == 0.5
    assert sigmoid_backward(1.0, 0.0) == 0.25
    assert tanh_forward(0.0) == 0.0
    assert tanh_backward(3.0, 0.0) == 3.0


def test_sigmoid_derivative_formula():
    # dσ/dy = e^-y / (1 + e^-y)² (the lecture's first form) = σ(y)(1 − σ(y)).
    y = np.array([-3.0, -0.5, 0.25, 2.0])
    np.testing.assert_allclose(sigmoid_backward(np.ones(4), y), np.exp(-y) / (1 + np.exp(-y)) ** 2, rtol=1e-13)


def test_relu_by_hand():
    x = np.array([-1.5, 0.0, 2.0, -0.0, 1e-300])
    np.testing.assert_array_equal(relu_forward(x), [0.0, 0.0, 2.0, 0.0, 1e-300])
    dout = np.array([4.0, 5.0, 6.0, 7.0, 8.0])
    # gradient only where strictly positive: at exactly 0 (and -0) it is 0
    np.testing.assert_array_equal(relu_backward(dout, x), [0.0, 0.0, 6.0, 0.0, 8.0])


@pytest.mark.parametrize("alpha", [0.01, 0.2, 1.5])
def test_leaky_relu_by_hand(alpha):
    x = np.array([-2.0, 0.0, 3.0])
    dout = np.array([1.0, 2.0, -1.0])
    np.testing.assert_allclose(leaky_relu_forward(x, alpha), [-2.0 * alpha, 0.0, 3.0], rtol=0, atol=0)
    # at exactly 0 the slope is alpha (1 only where strictly positive)
    np.testing.assert_allclose(leaky_relu_backward(dout, x, alpha), [alpha, 2.0 * alpha, -1.0], rtol=1e-15)


def test_leaky_relu_default_alpha_is_001():
    x = np.array([-100.0, 0.0, 5.0])
    np.testing.assert_allclose(leaky_relu_forward(x), [-1.0, 0.0, 5.0], rtol=1e-15)
    np.testing.assert_allclose(leaky_relu_backward(np.ones(3), x), [0.01, 0.01, 1.0], rtol=1e-15)


def test_against_other_libraries():
    x = np.linspace(-50, 50, 201)
    np.testing.assert_allclose(sigmoid_forward(x), expit(x), rtol=1e-14)
    np.testing.assert_allclose(tanh_forward(x), [math.tanh(v) for v in x], rtol=1e-15)


# --- saturation: ±1000, no overflow, no warning -----------------------------------------------


def test_saturated_sigmoid_and_tanh():
    x = np.array([-1000.0, -745.0, -40.0, 40.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow / invalid RuntimeWarnings fail the test
        s = sigmoid_forward(x)
        ds = sigmoid_backward(np.ones(6), x)
        t = tanh_forward(x)
        dt = tanh_backward(np.ones(6), x)
    for out in (s, ds, t, dt):
        assert np.all(np.isfinite(out))
    np.testing.assert_allclose(s, expit(x), rtol=1e-14, atol=1e-300)  # expit flushes σ(-745) to 0
    assert s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_array_equal(ds[[0, -1]], 0.0)  # saturated neurons kill gradients
    np.testing.assert_array_equal(t[[0, -1]], [-1.0, 1.0])
    np.testing.assert_array_equal(dt[[0, -1]], 0.0)
    assert 0 < ds[2] < 1e-17  # σ'(-40) = e^-40 / (1 + e^-40)² ≈ 4.2e-18: tiny, not lost
    assert ds[2] == pytest.approx(math.exp(-40) / (1 + math.exp(-40)) ** 2, rel=1e-12)


# --- gradient checks against central differences --------------------------------------------

ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "leaky_relu_0.3": (
        functools.partial(leaky_relu_forward, alpha=0.3),
        functools.partial(leaky_relu_backward, alpha=0.3),
    ),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("shape", SHAPES)
def test_activation_gradients(name, shape):
    forward, backward = ACTIVATIONS[name]
    rng = np.random.default_rng(3)
    x = away_from_zero(rng.normal(size=shape))  # off the ReLU kink; |x| < ~3, not saturated
    dout = signed_magnitudes(rng, shape)
    assert_grads_match(forward, backward, (x,), dout)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.5])
def test_relu_gradients_with_exact_zeros(alpha):
    x = np.array([[0.0, 1.5, -2.0], [0.0, -0.0, 0.7]])
    dout = np.array([[2.0, -1.0, 3.0], [-4.0, 5.0, 0.5]])
    zero = x == 0
    for backward, slope in ((relu_backward, 0.0), (functools.partial(leaky_relu_backward, alpha=alpha), alpha)):
        dx = backward(dout, x)
        np.testing.assert_allclose(dx[zero], slope * dout[zero], rtol=1e-15, atol=0)
    # away from the kink, numeric gradients agree
    assert_grads_match(relu_forward, relu_backward, (x[~zero],), dout[~zero])
    assert_grads_match(
        functools.partial(leaky_relu_forward, alpha=alpha),
        functools.partial(leaky_relu_backward, alpha=alpha),
        (x[~zero],),
        dout[~zero],
    )


# --- properties on random shapes ------------------------------------------------------------


@st.composite
def activation_inputs(draw):
    shape = draw(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5))
    x = draw(arrays(np.float64, shape, elements=st.floats(-1e3, 1e3, allow_nan=False)))
    dout = draw(arrays(np.float64, shape, elements=st.floats(-10, 10, allow_nan=False)))
    return x, dout


@given(activation_inputs(), st.floats(0.0, 1.0))
def test_activation_properties(inputs, alpha):
    x, dout = inputs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (forward, backward) in ACTIVATIONS.items():
            out = call_unmodified(forward, x)
            dx = call_unmodified(backward, dout, x)
            assert np.shape(out) == x.shape and np.shape(dx) == x.shape, name
            assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx)), name
        s = sigmoid_forward(x)
        np.testing.assert_allclose(sigmoid_forward(-x), 1.0 - s, atol=1e-15)  # σ(−y) = 1 − σ(y)
        assert np.all((s >= 0) & (s <= 1))
        np.testing.assert_array_equal(relu_backward(dout, x), np.where(x > 0, dout, 0.0))
        lr = call_unmodified(leaky_relu_forward, x, alpha)
        dlr = call_unmodified(leaky_relu_backward, dout, x, alpha)
        np.testing.assert_array_equal(lr, np.where(x > 0, x, alpha * x))
        np.testing.assert_array_equal(dlr, np.where(x > 0, dout, alpha * dout))


# --- bad arguments --------------------------------------------------------------------------

BAD = [
    (sigmoid_backward, (np.ones(3), np.ones(4)), r"sigmoid_backward: dout must have the shape of x, \(4,\), got \(3,\)"),
    (tanh_backward, (np.ones((2, 3)), np.ones((3, 2))), r"tanh_backward: .*\(3, 2\), got \(2, 3\)"),
    (relu_backward, (1.0, np.ones(2)), r"relu_backward: .*\(2,\), got \(\)"),
    (leaky_relu_backward, (np.ones((2, 1)), np.ones(2)), r"leaky_relu_backward: .*\(2,\), got \(2, 1\)"),
    (leaky_relu_forward, (np.ones(2), np.ones(2)), r"leaky_relu_forward: alpha must be a scalar, got shape \(2,\)"),
    (leaky_relu_backward, (np.ones(2), np.ones(2), [0.1]), r"leaky_relu_backward: alpha must be a scalar"),
]


@pytest.mark.parametrize("fn,args,match", BAD, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)])
def test_bad_arguments_raise_value_error(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)
