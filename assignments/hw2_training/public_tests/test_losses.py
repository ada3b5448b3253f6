"""Public tests of nnkit/losses.py: each loss returns ``(loss, dpred)``, the mean over the batch."""

import numpy as np
import pytest

from nnkit.losses import (binary_cross_entropy, hinge_loss, l2_loss, l2_regularization,
                          softmax_cross_entropy, svm_loss)
from nnkit_check.gradcheck import numeric_gradient, rel_error

TOL = 1e-5


def check_gradient(loss_fn, pred, *args):
    """dpred of ``loss_fn(pred, *args)`` against central differences of the loss."""
    loss, dpred = loss_fn(pred, *args)
    assert np.ndim(loss) == 0, f"{loss_fn.__name__}: the loss is a scalar"
    assert np.shape(dpred) == np.shape(pred), f"{loss_fn.__name__}: the gradient is shaped like its input"
    num = numeric_gradient(lambda p: loss_fn(p, *args)[0], pred)
    err = rel_error(dpred, num)
    assert err < TOL, f"{loss_fn.__name__}: gradient off (relative error {err:.2e})"


def test_l2_loss_by_hand():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    loss, dpred = l2_loss(pred, np.zeros((2, 2)))
    np.testing.assert_allclose(loss, (1 + 4 + 9 + 16) / 2)  # mean over N = 2 of squared norms
    np.testing.assert_allclose(dpred, pred)  # 2 (pred − y) / N with N = 2


def test_hinge_loss_by_hand():
    scores = np.array([2.0, 0.5, -1.0, 1.0])
    loss, dscores = hinge_loss(scores, np.array([1.0, 1.0, 1.0, 1.0]))
    np.testing.assert_allclose(loss, (0.0 + 0.5 + 2.0 + 0.0) / 4)
    # the last margin is exactly 0: max(0, ·) passes gradient only where strictly positive
    np.testing.assert_allclose(dscores, [0.0, -1 / 4, -1 / 4, 0.0])


def test_svm_loss_by_hand():
    scores = np.array([[3.0, 1.0, 2.5], [0.0, 2.0, 1.0]])
    y = np.array([0, 2])
    # row 0: max(0, 1 − 3 + 1) + max(0, 2.5 − 3 + 1) = 0 + 0.5; row 1: max(0, 0 − 1 + 1) + max(0, 2 − 1 + 1) = 0 + 2
    loss, _ = svm_loss(scores, y)
    np.testing.assert_allclose(loss, (0.5 + 2.0) / 2)


def test_l2_regularization_by_hand():
    W = np.array([[1.0, -2.0], [0.0, 3.0]])
    loss, dW = l2_regularization(W, 0.1)
    np.testing.assert_allclose(loss, 0.1 * 14)
    np.testing.assert_allclose(dW, 0.2 * W)


def test_cross_entropies_by_hand():
    loss, _ = binary_cross_entropy(np.array([0.0, 0.0]), np.array([0.0, 1.0]))
    np.testing.assert_allclose(loss, np.log(2))  # σ(0) = 1/2 for both
    loss, _ = softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1, 3]))
    np.testing.assert_allclose(loss, np.log(4))  # uniform over 4 classes


@pytest.mark.parametrize("big", [1000.0, -1000.0])
def test_cross_entropies_are_stable(big):
    loss, dlogits = binary_cross_entropy(np.array([big, 0.0]), np.array([1.0, 0.0]))
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits)), "binary_cross_entropy must be finite for any logit"
    loss, dscores = softmax_cross_entropy(np.array([[big, 0.0, 1.0]]), np.array([1]))
    assert np.isfinite(loss) and np.all(np.isfinite(dscores)), "softmax_cross_entropy must be finite for any score"
    if big > 0:
        np.testing.assert_allclose(loss, big, rtol=1e-9)  # −log softmax = big − 0 up to e^-1000


def test_loss_gradients_numerically():
    rng = np.random.default_rng(0)
    check_gradient(l2_loss, rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))
    scores = np.array([2.0, 0.5, -1.0, 0.2])  # margins 1 − y·s are never 0: no kink
    check_gradient(hinge_loss, scores, np.array([1.0, -1.0, 1.0, -1.0]))
    scores = rng.standard_normal((5, 4))
    check_gradient(svm_loss, scores, np.array([0, 1, 2, 3, 1]))
    check_gradient(binary_cross_entropy, rng.standard_normal(6), np.array([0.0, 1, 1, 0, 1, 0]))
    check_gradient(softmax_cross_entropy, rng.standard_normal((5, 4)), np.array([0, 3, 2, 1, 1]))
    W = rng.standard_normal((3, 2))
    _, dW = l2_regularization(W, 0.3)
    assert rel_error(dW, numeric_gradient(lambda M: l2_regularization(M, 0.3)[0], W)) < TOL
