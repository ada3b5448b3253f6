"""Public tests of nnkit/jacobians.py: the lecture's Jacobian layout (df/dx is d × m)."""

import numpy as np

from nnkit.jacobians import (chain_rule, linear_l2_backward, linear_l2_forward, numerical_jacobian,
                             relu_jacobian)
from nnkit_check.gradcheck import numeric_gradient, rel_error

# Relative error of a correct float64 gradient against central differences stays far below
# this; a wrong factor, sign or transpose gives 1e-1 or more.
TOL = 1e-5


def test_numerical_jacobian_of_a_linear_map_is_its_transpose():
    # f(x) = A x with A (m, d): df_i/dx_j = A[i, j], so the (d, m) Jacobian is A.T.
    A = np.arange(6.0).reshape(3, 2)  # m = 3, d = 2
    J = numerical_jacobian(lambda x: A @ x, np.array([0.5, -1.0]))
    assert np.shape(J) == (2, 3), "the Jacobian of f: R^d -> R^m has shape (d, m) in the lecture's layout"
    np.testing.assert_allclose(J, A.T, atol=1e-6)


def test_numerical_jacobian_of_a_nonlinear_map():
    x = np.array([0.3, -0.7, 1.1])
    J = numerical_jacobian(np.sin, x)
    np.testing.assert_allclose(J, np.diag(np.cos(x)), atol=1e-6)


def test_numerical_jacobian_does_not_modify_x():
    x = np.array([1.0, 2.0])
    numerical_jacobian(lambda v: v ** 2, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relu_jacobian_is_diagonal():
    np.testing.assert_allclose(relu_jacobian(np.array([-1.0, 0.0, 2.0])), np.diag([0.0, 0.0, 1.0]))


def test_chain_rule_multiplies_in_the_lecture_order():
    J = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])  # df/dx of shape (d=2, m=3)
    dout = np.array([1.0, 0.5, -1.0])  # dL/df, shape (m,)
    np.testing.assert_allclose(chain_rule(J, dout), [2.0, -3.5])


def test_linear_l2_forward_by_hand():
    W = np.array([[1.0, 2.0], [0.0, -1.0]])
    x = np.array([1.0, 1.0])
    # W x = (3, -1), so ||W x||² = 10
    np.testing.assert_allclose(linear_l2_forward(W, x), 10.0)


def test_linear_l2_backward_matches_numeric_gradient():
    rng = np.random.default_rng(5)
    W, x = rng.standard_normal((3, 4)), rng.standard_normal(4)
    dW, dx = linear_l2_backward(1.0, W, x)
    assert np.shape(dW) == W.shape and np.shape(dx) == x.shape, "dW shaped like W, dx like x"
    err_W = rel_error(dW, numeric_gradient(lambda W_: linear_l2_forward(W_, x), W))
    err_x = rel_error(dx, numeric_gradient(lambda x_: linear_l2_forward(W, x_), x))
    assert err_W < TOL, f"dW is off (relative error {err_W:.2e})"
    assert err_x < TOL, f"dx is off (relative error {err_x:.2e})"
    dW2, dx2 = linear_l2_backward(2.5, W, x)
    np.testing.assert_allclose(dW2, 2.5 * dW, err_msg="the gradient must scale with dout")
    np.testing.assert_allclose(dx2, 2.5 * dx, err_msg="the gradient must scale with dout")
