"""Reference solution, nnkit.layers: the linear layer ``out = x @ Wᵀ + b`` on a batch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnkit.jacobians import linear_l2_backward
from nnkit.layers import linear_backward, linear_forward
from test_ref_common import assert_grads_match, call_unmodified


def test_linear_by_hand():
    # One input x = (1, 2), W (m=3, d=2) = [[1, 0], [0, 1], [1, 1]], b = (0.5, -1, 0):
    #   out = W x + b = (1 + 0.5, 2 - 1, 3 + 0) = (1.5, 1, 3)
    # Backward with dout = (1, 2, 3):
    #   dx = dout @ W = (1·1 + 2·0 + 3·1, 1·0 + 2·1 + 3·1) = (4, 5)
    #   dW = doutᵀ x = [[1, 2], [2, 4], [3, 6]],  db = dout = (1, 2, 3)
    x = np.array([[1.0, 2.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([0.5, -1.0, 0.0])
    np.testing.assert_array_equal(call_unmodified(linear_forward, x, W, b), [[1.5, 1.0, 3.0]])
    dx, dW, db = call_unmodified(linear_backward, np.array([[1.0, 2.0, 3.0]]), x, W, b)
    np.testing.assert_array_equal(dx, [[4.0, 5.0]])
    np.testing.assert_array_equal(dW, [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    np.testing.assert_array_equal(db, [1.0, 2.0, 3.0])


def test_batch_gradients_of_W_and_b_add_up_over_rows():
    # Two identical rows: dW and db are twice those of one row, dx is per row.
    x = np.array([[1.0, -1.0], [1.0, -1.0]])
    W = np.array([[2.0, 3.0]])
    b = np.array([4.0])
    dout = np.array([[1.0], [1.0]])
    np.testing.assert_array_equal(linear_forward(x, W, b), [[3.0], [3.0]])
    dx, dW, db = linear_backward(dout, x, W, b)
    np.testing.assert_array_equal(dx, [[2.0, 3.0], [2.0, 3.0]])
    np.testing.assert_array_equal(dW, [[2.0, -2.0]])
    np.testing.assert_array_equal(db, [2.0])


def test_one_row_is_the_lectures_Wx_gradient():
    # For one input and b = 0, out = (W x)ᵀ = qᵀ; with upstream 2q (from L = ||q||²) the layer
    # gives the lecture's ∇_x = 2 Wᵀ q and ∇_W = 2 q xᵀ (linear_l2_backward).
    rng = np.random.default_rng(9)
    W, x = rng.normal(size=(3, 4)), rng.normal(size=4)
    q = W @ x
    dx, dW, _ = linear_backward(2 * q[None, :], x[None, :], W, np.zeros(3))
    dW_l2, dx_l2 = linear_l2_backward(1.0, W, x)
    np.testing.assert_allclose(dx[0], dx_l2, rtol=1e-13)
    np.testing.assert_allclose(dW, dW_l2, rtol=1e-13)


@pytest.mark.parametrize("N,d,m", [(4, 5, 3), (1, 3, 3), (6, 2, 7), (3, 1, 1)])
def test_linear_gradients(N, d, m):
    rng = np.random.default_rng(10)
    x, W, b = rng.normal(size=(N, d)), rng.normal(size=(m, d)), rng.normal(size=m)  # non-zero b
    dout = rng.normal(size=(N, m))
    assert_grads_match(linear_forward, linear_backward, (x, W, b), dout)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.data())
def test_linear_properties(N, d, m, data):
    finite = st.floats(-10, 10, allow_nan=False)
    x = data.draw(arrays(np.float64, (N, d), elements=finite))
    W = data.draw(arrays(np.float64, (m, d), elements=finite))
    b = data.draw(arrays(np.float64, (m,), elements=finite))
    dout = data.draw(arrays(np.float64, (N, m), elements=finite))
    out = call_unmodified(linear_forward, x, W, b)
    assert out.shape == (N, m) and out.dtype == np.float64
    np.testing.assert_allclose(out, np.stack([W @ xi + b for xi in x]), rtol=1e-12, atol=1e-10)
    dx, dW, db = call_unmodified(linear_backward, dout, x, W, b)
    assert dx.shape == x.shape and dW.shape == W.shape and db.shape == b.shape
    np.testing.assert_allclose(db, dout.sum(axis=0), rtol=1e-12, atol=1e-12)


def test_integer_inputs_give_float64():
    out = linear_forward(np.array([[1, 2]]), np.array([[3, 4]]), np.array([1]))
    assert out.dtype == np.float64 and out.tolist() == [[12.0]]


# --- bad arguments --------------------------------------------------------------------------

X, W3x2, B3 = np.ones((4, 2)), np.ones((3, 2)), np.ones(3)
BAD = [
    (linear_forward, (np.ones(2), W3x2, B3), r"linear_forward: expected x \(N, d\), W \(m, d\), b \(m,\), got \(2,\)"),
    (linear_forward, (X, np.ones((3, 5)), B3), r"linear_forward: expected .*got \(4, 2\), \(3, 5\), \(3,\)"),
    (linear_forward, (X, np.ones((2, 3)), B3), r"linear_forward: expected .*got \(4, 2\), \(2, 3\)"),
    (linear_forward, (X, W3x2, np.ones(2)), r"linear_forward: expected .*b \(m,\), got \(4, 2\), \(3, 2\), \(2,\)"),
    (linear_forward, (X, W3x2, np.ones((1, 3))), r"linear_forward: .*\(1, 3\)"),
    (linear_backward, (np.ones((4, 3)), X, W3x2, np.ones(4)), r"linear_backward: expected x \(N, d\), W \(m, d\), b \(m,\)"),
    (linear_backward, (np.ones((4, 2)), X, W3x2, B3), r"linear_backward: dout must have shape \(N, m\) = \(4, 3\), got \(4, 2\)"),
    (linear_backward, (np.ones(3), X, W3x2, B3), r"linear_backward: dout must have shape .*got \(3,\)"),
]


@pytest.mark.parametrize("fn,args,match", BAD, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)])
def test_bad_arguments_raise_value_error(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)
