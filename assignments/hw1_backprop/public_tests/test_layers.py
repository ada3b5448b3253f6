"""Public tests of nnkit/layers.py: the linear layer ``out = x @ W.T + b``, W of shape (m, d)."""

import numpy as np

from nnkit.layers import linear_backward, linear_forward
from nnkit_check.gradcheck import numeric_gradient, rel_error

# Relative error of a correct float64 gradient against central differences stays far below
# this; a wrong factor, sign or transpose gives 1e-1 or more.
TOL = 1e-5


def test_linear_forward_by_hand():
    x = np.array([[1.0, 2.0]])  # N = 1, d = 2
    W = np.array([[1.0, 0.0], [1.0, -1.0], [0.5, 0.5]])  # m = 3
    b = np.array([0.0, 1.0, -1.0])
    out = linear_forward(x, W, b)
    assert np.shape(out) == (1, 3), "out has shape (N, m)"
    np.testing.assert_allclose(out, [[1.0, 0.0, 0.5]])


def test_linear_backward_matches_numeric_gradient():
    rng = np.random.default_rng(6)
    x, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    grads = linear_backward(dout, x, W, b)
    assert len(grads) == 3, "linear_backward returns (dx, dW, db)"
    names = ("dx", "dW", "db")
    inputs = (x, W, b)
    for i, (name, grad) in enumerate(zip(names, grads)):
        assert np.shape(grad) == inputs[i].shape, f"{name} must have shape {inputs[i].shape}"

        def f(v, i=i):
            args = list(inputs)
            args[i] = v
            return linear_forward(*args)
        err = rel_error(grad, numeric_gradient(f, inputs[i], dout))
        assert err < TOL, f"{name} disagrees with the numeric gradient (relative error {err:.2e})"


def test_linear_layer_does_not_modify_inputs():
    rng = np.random.default_rng(7)
    x, W, b = rng.standard_normal((2, 3)), rng.standard_normal((4, 3)), rng.standard_normal(4)
    copies = [a.copy() for a in (x, W, b)]
    linear_forward(x, W, b)
    linear_backward(np.ones((2, 4)), x, W, b)
    for a, a0 in zip((x, W, b), copies):
        np.testing.assert_array_equal(a, a0)
