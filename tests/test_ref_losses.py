"""Reference losses: gradients, hand-derived values, stability, kinks, bad input."""

import contextlib
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autograder.gradcheck import numeric_gradient, rel_error
from nnkit.losses import (
    binary_cross_entropy,
    hinge_loss,
    l2_loss,
    l2_regularization,
    softmax_cross_entropy,
    svm_loss,
)

RNG = np.random.default_rng(1234)
N, C = 6, 4
SCORES = RNG.normal(size=(N, C)) * 2
LABELS = RNG.integers(0, C, size=N)
SIGNS = np.array([1, -1, 1, 1, -1, -1])
BITS = np.array([1, 0, 1, 1, 0, 0])

# (name, loss, prediction, target): every loss with inputs away from its kinks
CASES = [
    ("l2_loss", l2_loss, RNG.normal(size=(N, 3)), RNG.normal(size=(N, 3))),
    ("l2_loss_1d", l2_loss, RNG.normal(size=N), RNG.normal(size=N)),
    ("hinge_loss", hinge_loss, RNG.normal(size=N) * 2, SIGNS),
    ("svm_loss", svm_loss, SCORES, LABELS),
    ("binary_cross_entropy", binary_cross_entropy, RNG.normal(size=N) * 3, BITS),
    ("softmax_cross_entropy", softmax_cross_entropy, SCORES, LABELS),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,loss_fn,pred,y", CASES, ids=IDS)
def test_gradient_matches_numeric(name, loss_fn, pred, y):
    loss, dpred = loss_fn(pred, y)
    assert isinstance(loss, float)
    assert dpred.shape == pred.shape and dpred.dtype == np.float64
    numeric = numeric_gradient(lambda p: loss_fn(p, y)[0], pred)
    assert rel_error(dpred, numeric) < 1e-5, f"{name}: analytic {dpred} vs numeric {numeric}"


@pytest.mark.parametrize("name,loss_fn,pred,y", CASES, ids=IDS)
def test_inputs_not_modified(name, loss_fn, pred, y):
    pred_copy, y_copy = pred.copy(), y.copy()
    loss_fn(pred, y)
    np.testing.assert_array_equal(pred, pred_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_l2_regularization_value_and_gradient():
    # reg · Σ W² = 0.5 · (1 + 4 + 0 + 9) = 7;  gradient 2 · reg · W = W
    W = np.array([[1.0, -2.0], [0.0, 3.0]])
    loss, dW = l2_regularization(W, 0.5)
    assert loss == pytest.approx(7.0)
    np.testing.assert_allclose(dW, W)
    W = RNG.normal(size=(3, 5))
    _, dW = l2_regularization(W, 0.3)
    assert rel_error(dW, numeric_gradient(lambda w: l2_regularization(w, 0.3)[0], W)) < 1e-6


def test_l2_regularization_rejects_negative_strength():
    with pytest.raises(ValueError, match="reg"):
        l2_regularization(np.ones((2, 2)), -0.1)


# --- values derived by hand ---------------------------------------------------


def test_l2_loss_by_hand():
    # diffs [1, 0] and [2, 3]: squared norms 1 and 13, mean over N = 2 samples -> 7;
    # gradient 2 (pred - y) / N = pred - y
    pred, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 2.0], [1.0, 1.0]])
    loss, d = l2_loss(pred, y)
    assert loss == pytest.approx(7.0)
    np.testing.assert_allclose(d, [[1.0, 0.0], [2.0, 3.0]])


def test_hinge_by_hand():
    # s = [0.5, -2], y = [+1, -1]: margins 1 - 0.5 = 0.5 and 1 - 2 = -1 -> 0;
    # loss (0.5 + 0) / 2 = 0.25; gradient -y/N on the active sample only
    loss, d = hinge_loss(np.array([0.5, -2.0]), np.array([1, -1]))
    assert loss == pytest.approx(0.25)
    np.testing.assert_allclose(d, [-0.5, 0.0])


def test_svm_by_hand():
    # sample 0 (y=0, s=[3, 1, 2.5]): margins j=1: 1-3+1 = -1 -> 0, j=2: 2.5-3+1 = 0.5
    # sample 1 (y=2, s=[0, 0, 0]): margins j=0: 1, j=1: 1
    # loss (0.5 + 2) / 2 = 1.25; dscores row 0 [-1, 0, 1]/2, row 1 [1, 1, -2]/2
    loss, d = svm_loss(np.array([[3.0, 1.0, 2.5], [0.0, 0.0, 0.0]]), np.array([0, 2]))
    assert loss == pytest.approx(1.25)
    np.testing.assert_allclose(d, [[-0.5, 0.0, 0.5], [0.5, 0.5, -1.0]])


def test_bce_by_hand():
    # z = [0, ln 3], y = [1, 0]: σ = [1/2, 3/4]; -ln(1/2) = ln 2 and -ln(1 - 3/4) = ln 4
    # loss (ln 2 + 2 ln 2) / 2 = 1.5 ln 2; gradient (σ - y)/N = [-1/4, 3/8]
    loss, d = binary_cross_entropy(np.array([0.0, np.log(3.0)]), np.array([1, 0]))
    assert loss == pytest.approx(1.5 * np.log(2.0))
    np.testing.assert_allclose(d, [-0.25, 0.375])


def test_softmax_by_hand():
    # row 0 s = [0, ln 3]: p = [1/4, 3/4], y = 1 -> -ln(3/4)
    # row 1 s = [ln 2, 0]: p = [2/3, 1/3], y = 1 -> ln 3
    # loss (ln 4 - ln 3 + ln 3) / 2 = ln 2; gradient (p - onehot)/2
    scores = np.array([[0.0, np.log(3.0)], [np.log(2.0), 0.0]])
    loss, d = softmax_cross_entropy(scores, np.array([1, 1]))
    assert loss == pytest.approx(np.log(2.0))
    np.testing.assert_allclose(d, [[1 / 8, -1 / 8], [1 / 3, -1 / 3]])


# --- kinks: max(0, ·) passes gradient only where strictly positive ------------


def test_hinge_no_gradient_at_margin_exactly_one():
    # y s = 1 exactly: margin 0, not strictly positive -> no loss, no gradient
    loss, d = hinge_loss(np.array([1.0, -1.0]), np.array([1, -1]))
    assert loss == 0.0
    np.testing.assert_array_equal(d, [0.0, 0.0])


def test_svm_no_gradient_at_margin_exactly_zero():
    # s_j - s_y + 1 = 0 for j = 1: inactive; j = 2 active (margin 0.5)
    loss, d = svm_loss(np.array([[2.0, 1.0, 1.5]]), np.array([0]))
    assert loss == pytest.approx(0.5)
    np.testing.assert_allclose(d, [[-1.0, 0.0, 1.0]])


# --- numerical stability ------------------------------------------------------


@contextlib.contextmanager
def _no_warnings():
    """Any numpy overflow/invalid/divide or Python warning becomes an error (underflow to 0 is fine)."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


def test_softmax_stable_at_1000():
    # row 0: the correct class dominates by 1000 -> loss ~ 0; row 1: three equal scores -> ln 3
    scores = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    with _no_warnings():
        loss, d = softmax_cross_entropy(scores, np.array([0, 1]))
    assert loss == pytest.approx(np.log(3.0) / 2)
    np.testing.assert_allclose(d, [[0.0, 0.0, 0.0], [1 / 6, -1 / 3, 1 / 6]], atol=1e-300)


def test_bce_stable_at_1000():
    # right answers at ±1000 cost 0, wrong ones cost 1000 each: mean (0 + 0 + 1000 + 1000)/4
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    with _no_warnings():
        loss, d = binary_cross_entropy(z, np.array([1, 0, 0, 1]))
    assert loss == pytest.approx(500.0)
    np.testing.assert_allclose(d, [0.0, 0.0, 0.25, -0.25])


@given(arrays(np.float64, (5, 4), elements=st.floats(-1e3, 1e3)), st.lists(st.integers(0, 3), min_size=5, max_size=5))
def test_softmax_rows_property(scores, labels):
    y = np.array(labels)
    with _no_warnings():
        loss, d = softmax_cross_entropy(scores, y)
    assert np.isfinite(loss) and loss >= 0
    np.testing.assert_allclose(d.sum(axis=1), 0.0, atol=1e-12)
    probs = d * len(y)
    probs[np.arange(len(y)), y] += 1.0
    assert np.all(probs >= 0) and np.all(probs <= 1)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)


@given(arrays(np.float64, 7, elements=st.floats(-1e3, 1e3)), arrays(np.int64, 7, elements=st.integers(0, 1)))
def test_bce_finite_and_gradient_bounded(z, y):
    with _no_warnings():
        loss, d = binary_cross_entropy(z, y)
    assert np.isfinite(loss) and loss >= 0
    # (σ - y)/N lies in [-1/N, 1/N]
    assert np.all(np.abs(d) <= 1 / len(z) + 1e-15)


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3])), r"\[0, 3\)"),
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([-1, 0])), r"\[0, 3\)"),
        (lambda: svm_loss(np.zeros((2, 3)), np.array([0, 5])), r"\[0, 3\)"),
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2])), r"\(2,\)"),
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0.5, 1])), "integer"),
        (lambda: softmax_cross_entropy(np.zeros(3), np.array([0, 1, 2])), r"\(N, C\)"),
        (lambda: svm_loss(np.zeros((2, 3, 1)), np.array([0, 1])), r"\(N, C\)"),
        (lambda: hinge_loss(np.zeros(2), np.array([0, 1])), r"\{-1, \+1\}, got \[0\.0\]"),
        (lambda: hinge_loss(np.zeros((2, 1)), np.array([1, 1])), r"\(N,\)"),
        (lambda: hinge_loss(np.zeros(2), np.array([1, 1, 1])), "shape"),
        (lambda: binary_cross_entropy(np.zeros(2), np.array([-1, 1])), r"\{0, 1\}, got \[-1\.0\]"),
        (lambda: binary_cross_entropy(np.zeros(2), np.array([0.5, 1])), "values"),
        (lambda: l2_loss(np.zeros((2, 3)), np.zeros((3, 2))), "same shape"),
        (lambda: softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int)), "at least one"),
    ],
)
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_float_labels_with_integer_values_are_accepted():
    loss_int, d_int = softmax_cross_entropy(SCORES, LABELS)
    loss_float, d_float = softmax_cross_entropy(SCORES, LABELS.astype(np.float64))
    assert loss_int == loss_float
    np.testing.assert_array_equal(d_int, d_float)
