"""Reference solution, nnkit.gates: add/mul/max gates and the sigmoid neuron."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy.special import expit

from nnkit.gates import (
    add_backward,
    add_forward,
    max_backward,
    max_forward,
    mul_backward,
    mul_forward,
    neuron_backward,
    neuron_forward,
)
from test_ref_common import assert_grads_match, call_unmodified

GATES = {
    "add": (add_forward, add_backward),
    "mul": (mul_forward, mul_backward),
    "max": (max_forward, max_backward),
}


# --- the lecture's rules on small numbers, by hand ------------------------------------------


def test_add_gate_distributes():
    # f = 3 + (-4) = -1; df/dx = df/dy = 1, so both get dout = 2.
    assert add_forward(3.0, -4.0) == -1.0
    dx, dy = add_backward(2.0, 3.0, -4.0)
    assert (dx, dy) == (2.0, 2.0)


def test_mul_gate_switches():
    # f = 3 · (-4) = -12; dx = dout · y = 2 · (-4) = -8, dy = dout · x = 2 · 3 = 6.
    assert mul_forward(3.0, -4.0) == -12.0
    dx, dy = mul_backward(2.0, 3.0, -4.0)
    assert (dx, dy) == (-8.0, 6.0)


def test_max_gate_routes():
    # max(3, -4) = 3: x won, it gets all of dout = 2; y gets 0. Then y wins max(2, 5).
    assert max_forward(3.0, -4.0) == 3.0
    assert max_backward(2.0, 3.0, -4.0) == (2.0, 0.0)
    assert max_forward(2.0, 5.0) == 5.0
    assert max_backward(2.0, 2.0, 5.0) == (0.0, 2.0)


def test_max_gate_tie_goes_to_x():
    x = np.array([1.0, -2.0, 0.0, 3.0])
    y = np.array([1.0, -2.0, 0.0, 4.0])  # ties in the first three entries
    dout = np.array([5.0, -1.0, 0.5, 2.0])
    dx, dy = max_backward(dout, x, y)
    np.testing.assert_array_equal(dx, [5.0, -1.0, 0.5, 0.0])
    np.testing.assert_array_equal(dy, [0.0, 0.0, 0.0, 2.0])


def test_lecture_neuron_by_hand():
    # CS231n's neuron (w0=2, x0=-1, w1=-3, x1=-2, bias w2=-3) in the lecture's order,
    # x = (1, x1, x2), w = (w0, w1, w2) with w0 the bias:
    #   x = (1, -1, -2), w = (-3, 2, -3)
    #   z = w0 + w1 x1 + w2 x2 = -3 + 2·(-1) + (-3)·(-2) = -3 - 2 + 6 = 1
    #   f = σ(1) = 1 / (1 + e^-1) ≈ 0.7311
    #   dσ/dz = σ(1)(1 − σ(1)) ≈ 0.7311 · 0.2689 ≈ 0.1966
    #   dw = dσ/dz · x = (0.1966, -0.1966, -0.3932)   (CS231n: 0.2 for the bias, -0.2, -0.39)
    #   dx = dσ/dz · w = (-0.5898, 0.3932, -0.5898)   (CS231n: 0.39 and -0.59 for x1, x2 there)
    x = np.array([1.0, -1.0, -2.0])
    w = np.array([-3.0, 2.0, -3.0])
    s = 1.0 / (1.0 + math.exp(-1.0))
    ds = s * (1.0 - s)
    out = neuron_forward(x, w)
    assert np.shape(out) == ()
    assert out == pytest.approx(s, rel=1e-15)
    assert out == pytest.approx(0.7311, abs=1e-4)
    dx, dw = neuron_backward(1.0, x, w)
    np.testing.assert_allclose(dw, [ds, -ds, -2 * ds], rtol=1e-14)
    np.testing.assert_allclose(dx, [-3 * ds, 2 * ds, -3 * ds], rtol=1e-14)
    np.testing.assert_allclose(dw, [0.1966, -0.1966, -0.3932], atol=1e-4)
    np.testing.assert_allclose(dx, [-0.5898, 0.3932, -0.5898], atol=1e-4)


def test_batched_neuron_is_row_by_row():
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(5), rng.normal(size=(5, 3))])
    w = rng.normal(size=4)
    dout = rng.normal(size=5)
    out = neuron_forward(X, w)
    assert out.shape == (5,)
    np.testing.assert_allclose(out, [neuron_forward(x, w) for x in X], rtol=1e-15)
    dX, dw = neuron_backward(dout, X, w)
    rows = [neuron_backward(dout[i], X[i], w) for i in range(5)]
    np.testing.assert_allclose(dX, [r[0] for r in rows], rtol=1e-13)
    np.testing.assert_allclose(dw, sum(r[1] for r in rows), rtol=1e-12)  # dw sums over the batch


# --- gradient checks against central differences --------------------------------------------


@pytest.mark.parametrize("gate", sorted(GATES))
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 2)])
def test_gate_gradients(gate, shape):
    forward, backward = GATES[gate]
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=shape), rng.normal(size=shape)  # continuous: no ties in max
    dout = rng.normal(size=shape)
    assert_grads_match(forward, backward, (x, y), dout)


def test_max_gate_gradients_away_from_ties_with_ties_present():
    x = np.array([1.0, 2.0, -0.5, 0.3, 0.3])
    y = np.array([0.0, 2.5, -0.5, -1.0, 0.3])
    dout = np.array([1.5, -2.0, 3.0, 0.7, -1.0])
    dx, dy = max_backward(dout, x, y)
    tied = x == y
    np.testing.assert_array_equal(dx[tied], dout[tied])  # ties: all to x
    np.testing.assert_array_equal(dy[tied], 0.0)
    # Elsewhere the gate is differentiable; numeric gradients on the untied entries only.
    free = ~tied
    assert_grads_match(max_forward, max_backward, (x[free], y[free]), dout[free])


@pytest.mark.parametrize("batch", [None, 1, 6])
@pytest.mark.parametrize("d", [1, 4])
def test_neuron_gradients(batch, d):
    rng = np.random.default_rng(2)
    shape = (d,) if batch is None else (batch, d)
    x = rng.normal(size=shape)
    x[..., 0] = 1.0  # the constant feature of the lecture
    w = rng.normal(size=d)
    dout = rng.normal(size=shape[:-1]) * 3.0  # dout ≠ 1
    assert_grads_match(neuron_forward, neuron_backward, (x, w), dout)


@pytest.mark.parametrize("z", [1000.0, -1000.0, 40.0, -40.0, 745.0, -745.0])
def test_saturated_neuron_is_finite_without_warnings(z):
    x = np.array([[1.0, 1.0], [1.0, -1.0]])
    w = np.array([0.0, z])  # x · w = ±z
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning fails the test
        out = neuron_forward(x, w)
        dx, dw = neuron_backward(np.ones(2), x, w)
    assert np.all(np.isfinite(dx)) and np.all(np.isfinite(dw))
    # scipy's expit as the other library; atol: it flushes σ(-745) ≈ 5e-324 to 0.
    np.testing.assert_allclose(out, expit([z, -z]), rtol=1e-14, atol=1e-300)
    if abs(z) >= 745:
        np.testing.assert_allclose(dx, 0.0, atol=1e-300)  # saturated neurons kill gradients


# --- properties on random shapes ------------------------------------------------------------

finite = st.floats(-10, 10, allow_nan=False)


@st.composite
def gate_inputs(draw):
    shape = draw(array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    x, y, dout = (draw(arrays(np.float64, shape, elements=finite)) for _ in range(3))
    return x, y, dout


@given(gate_inputs())
def test_gates_properties(inputs):
    x, y, dout = inputs
    for name, (forward, backward) in GATES.items():
        out = call_unmodified(forward, x, y)
        dx, dy = call_unmodified(backward, dout, x, y)
        assert np.shape(out) == x.shape and dx.shape == x.shape and dy.shape == y.shape, name
        assert np.asarray(out).dtype == np.float64 and dx.dtype == dy.dtype == np.float64, name
    np.testing.assert_array_equal(add_backward(dout, x, y), (dout, dout))
    np.testing.assert_array_equal(mul_backward(dout, x, y), (dout * y, dout * x))
    dx, dy = max_backward(dout, x, y)
    np.testing.assert_array_equal(dx + dy, dout)  # routed: exactly one input gets each entry
    np.testing.assert_array_equal(np.where(x >= y, dy, dx), 0.0)


@given(st.integers(1, 5), st.one_of(st.none(), st.integers(1, 5)), st.data())
def test_neuron_properties(d, batch, data):
    shape = (d,) if batch is None else (batch, d)
    x = data.draw(arrays(np.float64, shape, elements=finite))
    w = data.draw(arrays(np.float64, (d,), elements=finite))
    dout = data.draw(arrays(np.float64, shape[:-1], elements=finite))
    out = call_unmodified(neuron_forward, x, w)
    dx, dw = call_unmodified(neuron_backward, dout, x, w)
    assert np.shape(out) == shape[:-1]
    assert np.all((out >= 0) & (out <= 1))
    assert dx.shape == x.shape and dw.shape == w.shape


def test_backward_does_not_alias_dout():
    dout = np.array([1.0, 2.0])
    dx, dy = add_backward(dout, np.zeros(2), np.zeros(2))
    dx[0] = 100.0
    assert dout[0] == 1.0 and dy[0] == 1.0


# --- bad arguments --------------------------------------------------------------------------

BAD = [
    (add_forward, (np.ones(3), np.ones(4)), r"add_forward: .*same shape.*\(3,\).*\(4,\)"),
    (mul_forward, (np.ones((2, 3)), np.ones((3, 2))), r"mul_forward: .*same shape.*\(2, 3\).*\(3, 2\)"),
    (max_forward, (np.ones(3), 1.0), r"max_forward: .*same shape.*\(3,\).*\(\)"),
    (add_backward, (np.ones(2), np.ones(3), np.ones(3)), r"add_backward: .*same shape.*\(2,\)"),
    (mul_backward, (np.ones(3), np.ones(3), np.ones(2)), r"mul_backward: .*same shape.*\(2,\)"),
    (max_backward, (np.ones((3, 1)), np.ones(3), np.ones(3)), r"max_backward: .*same shape.*\(3, 1\)"),
    (neuron_forward, (np.ones(3), np.ones(4)), r"neuron_forward: expected x \(d,\) or \(N, d\).*\(3,\).*\(4,\)"),
    (neuron_forward, (np.ones((2, 2, 3)), np.ones(3)), r"neuron_forward: .*\(2, 2, 3\)"),
    (neuron_forward, (np.ones((2, 3)), np.ones((3, 1))), r"neuron_forward: .*w \(3, 1\)"),
    (neuron_backward, (np.ones(2), np.ones((2, 3)), np.ones(2)), r"neuron_backward: expected .*\(2, 3\).*\(2,\)"),
    (neuron_backward, (np.ones(3), np.ones((2, 3)), np.ones(3)), r"neuron_backward: dout must have shape \(2,\).*got \(3,\)"),
    (neuron_backward, (np.ones(1), np.ones(3), np.ones(3)), r"neuron_backward: dout must have shape \(\).*got \(1,\)"),
]


@pytest.mark.parametrize("fn,args,match", BAD, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)])
def test_bad_arguments_raise_value_error(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)
