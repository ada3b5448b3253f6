"""Public tests of nnkit/conv.py: cross-correlation (no kernel flip), x (N, C, H, W), w (F, C, HH, WW).

The small CNN uses the carried modules (layers, activations, losses): a test
says so when it fails because one of them is still a stub.
"""

import numpy as np
import pytest

from nnkit.conv import (cnn_forward, cnn_loss_and_grads, conv_backward, conv_forward,
                        conv_output_size, init_cnn, max_pool_backward, max_pool_forward)
from nnkit_check.gradcheck import numeric_gradient, rel_error
from stubcheck import needs

CARRIED = ("activations", "layers", "losses")
TOL = 1e-5


def test_conv_output_size():
    assert conv_output_size(5, 3) == 3
    assert conv_output_size(5, 3, stride=2, pad=1) == 3
    assert conv_output_size(28, 5, stride=1, pad=2) == 28


@pytest.mark.parametrize("args", [(4, 3, 2, 0), (2, 5, 1, 0)])
def test_conv_output_size_rejects_bad_geometry(args):
    with pytest.raises(ValueError):
        conv_output_size(*args)  # (4 − 3) / 2 does not divide; a 5-wide filter does not fit in 2


def test_conv_forward_by_hand():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    out = conv_forward(x, w, np.array([0.5]))
    assert out.shape == (1, 1, 2, 2)
    np.testing.assert_allclose(out[0, 0], [[8.5, 12.5], [20.5, 24.5]])  # window sums + bias
    w = np.zeros((1, 1, 2, 2))
    w[0, 0, 0, 1] = 1.0  # picks the top-right pixel of each window: no flip
    np.testing.assert_allclose(conv_forward(x, w, np.zeros(1))[0, 0], [[1.0, 2.0], [4.0, 5.0]])


def test_conv_forward_stride_pad_and_channels():
    x = np.ones((2, 3, 4, 4))
    out = conv_forward(x, np.ones((5, 3, 3, 3)), np.zeros(5), stride=1, pad=1)
    assert out.shape == (2, 5, 4, 4)
    np.testing.assert_allclose(out[0, 0, 0, 0], 3 * 4)  # corner window: 2×2 ones in each of 3 channels
    np.testing.assert_allclose(out[1, 4, 1, 1], 3 * 9)
    assert conv_forward(x, np.ones((2, 3, 2, 2)), np.zeros(2), stride=2).shape == (2, 2, 2, 2)


@pytest.mark.parametrize("stride,pad", [(2, 1), (1, 0)])
def test_conv_backward_matches_numeric_gradients(stride, pad):
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    size = conv_output_size(5, 3, stride, pad)
    dout = rng.standard_normal((2, 3, size, size))
    dx, dw, db = conv_backward(dout, x, w, b, stride=stride, pad=pad)
    inputs = {"dx": x, "dw": w, "db": b}
    grads = {"dx": dx, "dw": dw, "db": db}
    for k, name in enumerate(inputs):
        def f(v, k=k):
            args = [x, w, b]
            args[k] = v
            return conv_forward(*args, stride=stride, pad=pad)
        assert grads[name].shape == inputs[name].shape, f"{name} is shaped like its input"
        err = rel_error(grads[name], numeric_gradient(f, inputs[name], dout))
        assert err < TOL, f"{name} disagrees with the numeric gradient (relative error {err:.2e})"


def test_max_pool_forward_by_hand():
    x = np.array([[[[1.0, 2.0, 5.0, 0.0], [3.0, 4.0, 1.0, 1.0],
                    [0.0, 0.0, 2.0, 2.0], [-1.0, 0.0, 2.0, 9.0]]]])
    np.testing.assert_allclose(max_pool_forward(x)[0, 0], [[4.0, 5.0], [0.0, 9.0]])
    # overlapping windows: pool 2, stride 1 gives a 3×3 map
    np.testing.assert_allclose(max_pool_forward(x, pool=2, stride=1)[0, 0],
                               [[4.0, 5.0, 5.0], [4.0, 4.0, 2.0], [0.0, 2.0, 9.0]])


def test_max_pool_backward_routes_to_the_first_maximum():
    x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])  # a tie: the first 3 in row-major order wins
    dx = max_pool_backward(np.array([[[[7.0]]]]), x)
    np.testing.assert_allclose(dx, [[[[0.0, 7.0], [0.0, 0.0]]]])


def test_max_pool_backward_matches_numeric_gradient():
    x = np.random.default_rng(1).permutation(2 * 2 * 4 * 4).reshape(2, 2, 4, 4) / 7.0  # no ties
    dout = np.random.default_rng(2).standard_normal((2, 2, 2, 2))
    err = rel_error(max_pool_backward(dout, x), numeric_gradient(max_pool_forward, x, dout))
    assert err < TOL, f"max_pool_backward disagrees with the numeric gradient (relative error {err:.2e})"


def test_init_cnn_shapes():
    params = init_cnn((1, 8, 8), num_filters=4, filter_size=3, num_classes=10, seed=0)
    assert params["W1"].shape == (4, 1, 3, 3) and params["b1"].shape == (4,)
    assert params["W2"].shape == (10, 4 * 4 * 4) and params["b2"].shape == (10,)


def test_cnn_forward_and_gradients():
    rng = np.random.default_rng(3)
    params = init_cnn((1, 4, 4), num_filters=2, filter_size=3, num_classes=3, seed=1)
    X, y = rng.standard_normal((2, 1, 4, 4)), np.array([0, 2])  # units on both sides of ReLU's kink
    with needs(*CARRIED):
        scores = cnn_forward(params, X)
        loss, grads = cnn_loss_and_grads(params, X, y, reg=0.05)
    assert scores.shape == (2, 3), "scores have shape (N, num_classes)"
    assert np.ndim(loss) == 0 and set(grads) == set(params)
    for key in params:
        def f(value, key=key):
            return cnn_loss_and_grads({**params, key: value}, X, y, reg=0.05)[0]
        err = rel_error(grads[key], numeric_gradient(f, params[key]))
        assert err < TOL, f"grads[{key!r}] disagrees with the numeric gradient (relative error {err:.2e})"


def test_cnn_regularises_both_weight_matrices():
    params = init_cnn((1, 4, 4), num_filters=2, filter_size=3, num_classes=3, seed=2)
    X, y = np.random.default_rng(4).standard_normal((2, 1, 4, 4)), np.array([1, 0])
    with needs(*CARRIED):
        difference = cnn_loss_and_grads(params, X, y, reg=0.5)[0] - cnn_loss_and_grads(params, X, y, reg=0.0)[0]
    np.testing.assert_allclose(difference, 0.5 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)),
                               err_msg="the loss adds reg · (||W1||² + ||W2||²), biases not regularised")
