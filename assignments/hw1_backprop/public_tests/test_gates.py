"""Public tests of nnkit/gates.py: small values by hand and numeric gradients.

Run ``python -m pytest tests/test_gates.py`` in the homework folder.
"""

import numpy as np

from nnkit.gates import (add_backward, add_forward, max_backward, max_forward, mul_backward,
                         mul_forward, neuron_backward, neuron_forward)
from nnkit_check.gradcheck import numeric_gradient, rel_error

TOL = 1e-5


def check_backward(forward, backward, inputs, seed=0):
    """Compare backward(dout, *inputs) with central differences, one input at a time."""
    out = np.asarray(forward(*inputs))
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    grads = backward(dout, *inputs)
    assert len(grads) == len(inputs), f"{backward.__name__} must return one gradient per input"
    for i, (grad, x) in enumerate(zip(grads, inputs)):
        def f(xi, i=i):
            args = list(inputs)
            args[i] = xi
            return forward(*args)
        num = numeric_gradient(f, x, dout)
        assert np.shape(grad) == np.shape(x), f"{backward.__name__}: gradient {i} must be shaped like input {i}"
        err = rel_error(grad, num)
        assert err < TOL, f"{backward.__name__}: gradient of input {i} is off (relative error {err:.2e})"


def test_add_mul_forward_by_hand():
    x, y = np.array([1.0, -2.0, 3.0]), np.array([4.0, 5.0, -6.0])
    np.testing.assert_allclose(add_forward(x, y), [5.0, 3.0, -3.0])
    np.testing.assert_allclose(mul_forward(x, y), [4.0, -10.0, -18.0])


def test_add_backward_distributes():
    dout = np.array([[1.0, -2.0], [0.5, 3.0]])
    x, y = np.ones((2, 2)), np.zeros((2, 2))
    dx, dy = add_backward(dout, x, y)
    np.testing.assert_allclose(dx, dout)
    np.testing.assert_allclose(dy, dout)


def test_mul_backward_switches():
    # The lecture's example: f = x * y with x = -2, y = 3 gives df/dx = 3 and df/dy = -2.
    dx, dy = mul_backward(np.array([1.0]), np.array([-2.0]), np.array([3.0]))
    np.testing.assert_allclose(dx, [3.0])
    np.testing.assert_allclose(dy, [-2.0])


def test_max_forward_and_router():
    x, y = np.array([1.0, 5.0, 2.0]), np.array([3.0, 4.0, 2.0])
    np.testing.assert_allclose(max_forward(x, y), [3.0, 5.0, 2.0])
    dx, dy = max_backward(np.array([10.0, 20.0, 30.0]), x, y)
    # On the tie (last entry) the whole gradient goes to x (the docstring of max_backward).
    np.testing.assert_allclose(dx, [0.0, 20.0, 30.0])
    np.testing.assert_allclose(dy, [10.0, 0.0, 0.0])


def test_gate_gradients_numerically():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    check_backward(add_forward, add_backward, (x, y))
    check_backward(mul_forward, mul_backward, (x, y))
    check_backward(max_forward, max_backward, (x, y + 0.5))  # no ties: max is smooth there


def test_gates_do_not_modify_inputs():
    x, y = np.array([1.0, 2.0]), np.array([3.0, -4.0])
    x0, y0 = x.copy(), y.copy()
    for forward, backward in ((add_forward, add_backward), (mul_forward, mul_backward),
                              (max_forward, max_backward)):
        forward(x, y)
        backward(np.ones(2), x, y)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_neuron_forward_by_hand():
    # σ(w · x) with x = (1, 2), w = (-3, 1.5): the dot product is 0, σ(0) = 1/2.
    out = neuron_forward(np.array([1.0, 2.0]), np.array([-3.0, 1.5]))
    assert np.shape(out) == (), "one input of shape (d,) gives a scalar"
    np.testing.assert_allclose(out, 0.5)
    batch = neuron_forward(np.array([[1.0, 2.0], [1.0, 0.0]]), np.array([-3.0, 1.5]))
    assert np.shape(batch) == (2,), "a batch (N, d) gives shape (N,)"
    np.testing.assert_allclose(batch, [0.5, 1.0 / (1.0 + np.exp(3.0))])


def test_neuron_gradients_numerically():
    rng = np.random.default_rng(2)
    x = np.hstack([np.ones((5, 1)), rng.standard_normal((5, 3))])
    w = rng.standard_normal(4)
    check_backward(neuron_forward, neuron_backward, (x, w))
    check_backward(neuron_forward, neuron_backward, (x[0], w))
