"""Reference solution, nnkit.jacobians: numerical Jacobian (d × m layout), ReLU Jacobian,
the chain rule with vector outputs, and ``||W x||²``."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnkit.activations import relu_backward
from nnkit.jacobians import (
    chain_rule,
    linear_l2_backward,
    linear_l2_forward,
    numerical_jacobian,
    relu_jacobian,
)
from test_ref_common import assert_grads_match, away_from_zero, call_unmodified

# The lecture's concrete example for ∇ of ||W x||²: a 2 × 3 W.
W_HAND = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
X_HAND = np.array([1.0, 1.0, 2.0])


# --- numerical_jacobian against Jacobians known in closed form -------------------------------


@pytest.mark.parametrize("m,d", [(2, 5), (4, 3), (3, 3), (1, 4), (4, 1)])
def test_numerical_jacobian_of_linear_map_is_W_transposed(m, d):
    # f(x) = A x, f_i = Σ_k A_ik x_k, so df_i/dx_j = A_ij: in the d × m layout the Jacobian is Aᵀ.
    rng = np.random.default_rng(4)
    A = rng.normal(size=(m, d))
    x = rng.normal(size=d)
    J = call_unmodified(numerical_jacobian, lambda v: A @ v, x)
    assert J.shape == (d, m)
    np.testing.assert_allclose(J, A.T, rtol=1e-7, atol=1e-9)


def test_numerical_jacobian_of_nonlinear_map_by_hand():
    # f(x) = (x0 x1, x0², sin x2), d = 3, m = 3 but not symmetric:
    #   row j = derivatives wrt x_j: [[x1, 2 x0, 0], [x0, 0, 0], [0, 0, cos x2]]
    x = np.array([1.5, -2.0, 0.3])
    J = numerical_jacobian(lambda v: np.array([v[0] * v[1], v[0] ** 2, np.sin(v[2])]), x)
    expect = np.array([[-2.0, 3.0, 0.0], [1.5, 0.0, 0.0], [0.0, 0.0, np.cos(0.3)]])
    np.testing.assert_allclose(J, expect, rtol=1e-8, atol=1e-9)


def test_numerical_jacobian_d_neq_m_layout():
    # f: R^2 → R^3, f(x) = (x0, 2 x1, x0 + x1): Jacobian rows are inputs, columns outputs.
    J = numerical_jacobian(lambda v: np.array([v[0], 2 * v[1], v[0] + v[1]]), np.array([0.5, -1.0]))
    np.testing.assert_allclose(J, [[1.0, 0.0, 1.0], [0.0, 2.0, 1.0]], atol=1e-9)


def test_numerical_jacobian_step_h_is_used():
    # f(x) = x³: the central difference is exactly 3x² + h², so h shows in the result.
    x = np.array([2.0])
    J = numerical_jacobian(lambda v: v**3, x, h=0.1)
    np.testing.assert_allclose(J, [[12.0 + 0.01]], rtol=1e-12)
    np.testing.assert_allclose(numerical_jacobian(lambda v: v**3, x), [[12.0]], rtol=1e-9)


def test_numerical_jacobian_never_touches_x_even_if_f_modifies_its_argument():
    def f(v):
        out = 2.0 * v
        v[:] = 1e6  # a careless f
        return out

    x = np.array([1.0, -2.0, 3.0])
    J = call_unmodified(numerical_jacobian, f, x)
    np.testing.assert_allclose(J, 2.0 * np.eye(3), atol=1e-8)


def test_numerical_jacobian_accepts_integer_x_and_list_output():
    J = numerical_jacobian(lambda v: [v[0] * v[1], v[1]], np.array([2, 3]))
    np.testing.assert_allclose(J, [[3.0, 0.0], [2.0, 1.0]], atol=1e-8)


# --- relu_jacobian ---------------------------------------------------------------------------


def test_relu_jacobian_by_hand():
    # f(x) = max(0, x) elementwise: diagonal, 1 where x > 0 (strictly), 0 elsewhere.
    J = relu_jacobian(np.array([1.0, -2.0, 0.0, 3.0]))
    np.testing.assert_array_equal(J, np.diag([1.0, 0.0, 0.0, 1.0]))
    assert J.dtype == np.float64


def test_relu_jacobian_matches_numerical_jacobian():
    x = away_from_zero(np.random.default_rng(5).normal(size=6))
    np.testing.assert_allclose(relu_jacobian(x), numerical_jacobian(lambda v: np.maximum(0, v), x), atol=1e-9)


# --- chain_rule ------------------------------------------------------------------------------


def test_chain_rule_by_hand():
    # dL/dx_j = Σ_i dL/df_i · df_i/dx_j: with df/dx = [[1, 2, 0], [0, 1, -1]] (d = 2, m = 3)
    # and dL/df = (1, 2, 3): dL/dx = (1 + 4 + 0, 0 + 2 - 3) = (5, -1).
    dx = chain_rule(np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]]), np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(dx, [5.0, -1.0])


def test_chain_rule_square_jacobian_is_not_transposed():
    # d = m = 2, df/dx = [[1, 2], [3, 4]] (row j: derivatives wrt x_j), dL/df = (1, 0):
    # dL/dx_j = Σ_i dL/df_i · df_i/dx_j = df_1/dx_j, the first column: (1, 3), not (1, 2).
    np.testing.assert_array_equal(chain_rule(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 0.0])), [1.0, 3.0])


def test_chain_rule_through_relu_is_relu_backward():
    rng = np.random.default_rng(6)
    x = np.array([1.0, -2.0, 0.0, 3.0, -0.5])
    dout = rng.normal(size=5)
    np.testing.assert_allclose(chain_rule(relu_jacobian(x), dout), relu_backward(dout, x), rtol=1e-15)


def test_chain_rule_with_numerical_jacobian_gives_the_gradient():
    # L(x) = ||A x||², f(x) = A x (R^4 → R^2), dL/df = 2 f: chain rule gives 2 Aᵀ A x.
    rng = np.random.default_rng(7)
    A = rng.normal(size=(2, 4))
    x = rng.normal(size=4)
    dx = chain_rule(numerical_jacobian(lambda v: A @ v, x), 2 * A @ x)
    assert dx.shape == (4,)
    np.testing.assert_allclose(dx, 2 * A.T @ A @ x, rtol=1e-7)
    np.testing.assert_allclose(dx, linear_l2_backward(1.0, A, x)[1], rtol=1e-7)


# --- ||W x||²: the lecture's 2 Wᵀ q and 2 q xᵀ ------------------------------------------------


def test_linear_l2_by_hand():
    # W = [[1, 2, 0], [0, -1, 3]], x = (1, 1, 2):
    #   q = W x = (1 + 2 + 0, 0 - 1 + 6) = (3, 5),  L = 3² + 5² = 34
    #   ∇_x L = 2 Wᵀ q = 2 (1·3 + 0·5, 2·3 - 1·5, 0·3 + 3·5) = (6, 2, 30)
    #   ∇_W L = 2 q xᵀ = 2 [[3, 3, 6], [5, 5, 10]] = [[6, 6, 12], [10, 10, 20]]
    L = call_unmodified(linear_l2_forward, W_HAND, X_HAND)
    assert isinstance(L, float) and L == 34.0
    dW, dx = call_unmodified(linear_l2_backward, 1.0, W_HAND, X_HAND)
    np.testing.assert_array_equal(dx, [6.0, 2.0, 30.0])
    np.testing.assert_array_equal(dW, [[6.0, 6.0, 12.0], [10.0, 10.0, 20.0]])
    dW, dx = linear_l2_backward(0.5, W_HAND, X_HAND)  # dout ≠ 1 scales both
    np.testing.assert_array_equal(dx, [3.0, 1.0, 15.0])
    np.testing.assert_array_equal(dW, [[3.0, 3.0, 6.0], [5.0, 5.0, 10.0]])


@pytest.mark.parametrize("m,d", [(2, 3), (3, 3), (5, 2), (1, 1)])
@pytest.mark.parametrize("dout", [1.0, -2.5])
def test_linear_l2_gradients(m, d, dout):
    rng = np.random.default_rng(8)
    W, x = rng.normal(size=(m, d)), rng.normal(size=d)
    assert_grads_match(linear_l2_forward, linear_l2_backward, (W, x), dout)


# --- properties on random shapes ------------------------------------------------------------

finite = st.floats(-10, 10, allow_nan=False)


@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_jacobian_properties(m, d, data):
    W = data.draw(arrays(np.float64, (m, d), elements=finite))
    x = data.draw(arrays(np.float64, (d,), elements=finite))
    dout = data.draw(st.floats(-3, 3))
    J = call_unmodified(numerical_jacobian, lambda v: W @ v, x)
    assert J.shape == (d, m)
    np.testing.assert_allclose(J, W.T, atol=1e-7 * (1 + np.abs(W).max() + np.abs(x).max()))
    R = call_unmodified(relu_jacobian, x)
    assert R.shape == (d, d)
    np.testing.assert_array_equal(R, np.diag((x > 0).astype(float)))
    g = data.draw(arrays(np.float64, (m,), elements=finite))
    np.testing.assert_allclose(call_unmodified(chain_rule, W.T, g), W.T @ g, rtol=1e-12, atol=1e-9)
    L = call_unmodified(linear_l2_forward, W, x)
    assert L >= 0
    dW, dx = call_unmodified(linear_l2_backward, dout, W, x)
    assert dW.shape == W.shape and dx.shape == x.shape
    q = W @ x
    np.testing.assert_allclose(dx, 2 * dout * W.T @ q, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(dW, 2 * dout * np.outer(q, x), rtol=1e-12, atol=1e-9)


# --- bad arguments --------------------------------------------------------------------------


def _identity(v):
    return v


BAD = [
    (numerical_jacobian, (_identity, np.ones((2, 2))), r"numerical_jacobian: expected x of shape \(d,\).*\(2, 2\)"),
    (numerical_jacobian, (_identity, np.ones(2), 0.0), r"numerical_jacobian: .*h > 0.*h=0.0"),
    (numerical_jacobian, (_identity, np.ones(2), -1e-6), r"numerical_jacobian: .*h > 0"),
    (numerical_jacobian, (np.sum, np.ones(2)), r"numerical_jacobian: f\(x\) must have shape \(m,\), got shape \(\)"),
    (numerical_jacobian, (np.diag, np.ones(2)), r"numerical_jacobian: f\(x\) must have shape \(m,\), got shape \(2, 2\)"),
    (numerical_jacobian, (lambda v: v[v > 1], np.ones(2)), r"numerical_jacobian: f must always return shape \(0,\)"),
    (relu_jacobian, (np.ones((2, 2)),), r"relu_jacobian: expected x of shape \(d,\), got shape \(2, 2\)"),
    (chain_rule, (np.ones((3, 2)), np.ones(3)), r"chain_rule: expected jacobian \(d, m\) and dout \(m,\), got \(3, 2\) and \(3,\)"),
    (chain_rule, (np.ones(3), np.ones(3)), r"chain_rule: .*got \(3,\) and \(3,\)"),
    (linear_l2_forward, (np.ones((2, 3)), np.ones(2)), r"linear_l2_forward: expected W \(m, d\) and x \(d,\), got \(2, 3\) and \(2,\)"),
    (linear_l2_forward, (np.ones(3), np.ones(3)), r"linear_l2_forward: .*got \(3,\) and \(3,\)"),
    (linear_l2_backward, (1.0, np.ones((2, 3)), np.ones((3, 1))), r"linear_l2_backward: expected W \(m, d\) and x \(d,\)"),
    (linear_l2_backward, (np.ones(2), np.ones((2, 3)), np.ones(3)), r"linear_l2_backward: dout must be a scalar.*\(2,\)"),
]


@pytest.mark.parametrize("fn,args,match", BAD, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)])
def test_bad_arguments_raise_value_error(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)
