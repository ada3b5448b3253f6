"""Reference convolution, max-pooling and CNN: values, gradients, ties, geometry, bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.gradcheck import numeric_gradient, rel_error
from nnkit.conv import (
    cnn_forward,
    cnn_loss_and_grads,
    conv_backward,
    conv_forward,
    conv_output_size,
    init_cnn,
    max_pool_backward,
    max_pool_forward,
)
from nnkit.losses import softmax_cross_entropy
from torch_support import require_torch

TOL = 1e-6  # CS231n relative error; a correct float64 gradient is far below


def naive_conv_forward(x, w, b, stride, pad):
    """The definition, one output entry at a time (loops over n, f, i, j)."""
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = xpad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out


def naive_max_pool_forward(x, pool, stride):
    N, C, H, W = x.shape
    H_out, W_out = (H - pool) // stride + 1, (W - pool) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + pool, j * stride:j * stride + pool].max(axis=(2, 3))
    return out


# (id, x shape, w shape, stride, pad): every case a student gets wrong
CONV_CASES = [
    ("pad0", (2, 1, 5, 5), (2, 1, 3, 3), 1, 0),
    ("pad1", (2, 2, 5, 5), (3, 2, 3, 3), 1, 1),
    ("pad2_big", (1, 2, 4, 4), (2, 2, 3, 3), 1, 2),
    ("stride2", (2, 2, 7, 7), (3, 2, 3, 3), 2, 0),
    ("stride2_pad1", (2, 3, 6, 6), (2, 3, 4, 4), 2, 1),
    ("stride3", (1, 2, 7, 10), (2, 2, 1, 4), 3, 0),
    ("non_square", (2, 3, 6, 4), (4, 3, 3, 2), 1, 1),
    ("channels_filters", (3, 4, 5, 5), (5, 4, 2, 2), 1, 0),
    ("one_by_one", (2, 3, 3, 4), (2, 3, 1, 1), 1, 0),
    ("full_size_kernel", (2, 2, 4, 3), (3, 2, 4, 3), 1, 0),
]
CONV_IDS = [c[0] for c in CONV_CASES]


def _conv_inputs(x_shape, w_shape, seed=0):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=x_shape),
        rng.normal(size=w_shape),
        rng.normal(size=w_shape[0]),
    )


@pytest.mark.parametrize("name,x_shape,w_shape,stride,pad", CONV_CASES, ids=CONV_IDS)
def test_conv_forward_matches_naive_loops(name, x_shape, w_shape, stride, pad):
    x, w, b = _conv_inputs(x_shape, w_shape)
    out = conv_forward(x, w, b, stride, pad)
    expected = naive_conv_forward(x, w, b, stride, pad)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,x_shape,w_shape,stride,pad", CONV_CASES, ids=CONV_IDS)
def test_conv_backward_matches_numeric(name, x_shape, w_shape, stride, pad):
    x, w, b = _conv_inputs(x_shape, w_shape, seed=1)
    out = conv_forward(x, w, b, stride, pad)
    dout = np.random.default_rng(2).normal(size=out.shape)
    dx, dw, db = conv_backward(dout, x, w, b, stride, pad)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)
    num_dx = numeric_gradient(lambda v: conv_forward(v, w, b, stride, pad), x, dout)
    num_dw = numeric_gradient(lambda v: conv_forward(x, v, b, stride, pad), w, dout)
    num_db = numeric_gradient(lambda v: conv_forward(x, w, v, stride, pad), b, dout)
    assert rel_error(dx, num_dx) < TOL, f"dx: rel error {rel_error(dx, num_dx)}"
    assert rel_error(dw, num_dw) < TOL, f"dw: rel error {rel_error(dw, num_dw)}"
    assert rel_error(db, num_db) < TOL, f"db: rel error {rel_error(db, num_db)}"


def test_conv_forward_matches_scipy_correlate():
    # scipy is installed with scikit-learn (a dev dependency). correlate (not
    # convolve): CS231n's convolution does not flip the kernel.
    from scipy.signal import correlate

    x, w, b = _conv_inputs((2, 3, 6, 5), (4, 3, 3, 3), seed=3)
    out = conv_forward(x, w, b, stride=1, pad=1)
    xpad = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    for n in range(2):
        for f in range(4):
            # 3-D "valid" correlation over (C, H, W) sums over the channels.
            expected = correlate(xpad[n], w[f], mode="valid")[0] + b[f]
            np.testing.assert_allclose(out[n, f], expected, rtol=1e-12, atol=1e-12)


X3 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1 2 3] [4 5 6] [7 8 9]]


def test_conv_hand_computed_2x2_kernel_no_flip():
    w = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    out = conv_forward(X3, w, np.array([0.5]))
    # out[0,0] = 1*1 + 2*2 + 3*4 + 4*5 = 37, then 47, 67, 77 (+ bias 0.5);
    # a flipped kernel (true convolution) would give 1*4 + 2*3 + 4*2 + 5*1 = 23.
    np.testing.assert_array_equal(out[0, 0], [[37.5, 47.5], [67.5, 77.5]])

    dx, dw, db = conv_backward(np.ones((1, 1, 2, 2)), X3, w, np.array([0.5]))
    # dx[i, j] = sum of the kernel entries that touch pixel (i, j)
    np.testing.assert_array_equal(dx[0, 0], [[1, 3, 2], [4, 10, 6], [3, 7, 4]])
    # dw[p, q] = sum of the pixels kernel entry (p, q) sees
    np.testing.assert_array_equal(dw[0, 0], [[12, 16], [24, 28]])
    np.testing.assert_array_equal(db, [4.0])


def test_conv_hand_computed_3x3_ones_pad1():
    # A 3x3 kernel of ones with pad 1 sums each pixel's neighbourhood.
    out = conv_forward(X3, np.ones((1, 1, 3, 3)), np.zeros(1), stride=1, pad=1)
    np.testing.assert_array_equal(out[0, 0], [[12, 21, 16], [27, 45, 33], [24, 39, 28]])


def test_conv_stride2_hand_computed():
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    out = conv_forward(x, np.ones((1, 1, 1, 1)), np.zeros(1), stride=2)
    # a 1x1 kernel with stride 2 picks every other pixel
    np.testing.assert_array_equal(out[0, 0], x[0, 0, ::2, ::2])


def test_conv_and_pool_match_torch():
    # torch is optional locally (the tests above cover everything); CI requires it.
    torch = require_torch()
    x, w, b = _conv_inputs((3, 3, 9, 7), (4, 3, 3, 3), seed=5)
    for stride, pad in [(1, 0), (1, 2), (2, 1)]:
        xt, wt, bt = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, w, b))
        out_t = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=pad)
        dout = np.random.default_rng(6).normal(size=tuple(out_t.shape))
        out_t.backward(torch.tensor(dout))
        np.testing.assert_allclose(conv_forward(x, w, b, stride, pad), out_t.detach().numpy(), rtol=1e-10, atol=1e-10)
        for ours, theirs in zip(conv_backward(dout, x, w, b, stride, pad), (xt, wt, bt)):
            np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-10, atol=1e-10)

    p = np.random.default_rng(7).permutation(3 * 3 * 8 * 8).reshape(3, 3, 8, 8).astype(float)
    for pool, pstride in [(2, 2), (3, 1), (2, 1)]:
        pt = torch.tensor(p, requires_grad=True)
        pooled = torch.nn.functional.max_pool2d(pt, pool, pstride)
        dp = np.random.default_rng(8).normal(size=tuple(pooled.shape))
        pooled.backward(torch.tensor(dp))
        np.testing.assert_array_equal(max_pool_forward(p, pool, pstride), pooled.detach().numpy())
        np.testing.assert_allclose(max_pool_backward(dp, p, pool, pstride), pt.grad.numpy(), atol=1e-12)


# ---------------------------------------------------------------- pooling

POOL_CASES = [
    ("2x2_s2", (2, 3, 4, 6), 2, 2),
    ("3x3_s2_overlap", (2, 2, 7, 5), 3, 2),
    ("2x2_s1_overlap", (1, 3, 5, 4), 2, 1),
    ("3x3_s3", (2, 1, 6, 9), 3, 3),
    ("1x1", (1, 2, 3, 3), 1, 1),
    ("2x2_s3_gaps", (2, 2, 5, 8), 2, 3),
]
POOL_IDS = [c[0] for c in POOL_CASES]


def _distinct(shape, seed):
    # distinct values spaced 1 apart: no ties, and h = 1e-6 never changes the argmax
    rng = np.random.default_rng(seed)
    return rng.permutation(int(np.prod(shape))).reshape(shape).astype(np.float64) * 0.5


@pytest.mark.parametrize("name,shape,pool,stride", POOL_CASES, ids=POOL_IDS)
def test_max_pool_forward_matches_naive(name, shape, pool, stride):
    x = _distinct(shape, 0) - 7.3  # negative values too
    out = max_pool_forward(x, pool, stride)
    np.testing.assert_array_equal(out, naive_max_pool_forward(x, pool, stride))


@pytest.mark.parametrize("name,shape,pool,stride", POOL_CASES, ids=POOL_IDS)
def test_max_pool_backward_matches_numeric(name, shape, pool, stride):
    x = _distinct(shape, 1)
    out = max_pool_forward(x, pool, stride)
    dout = np.random.default_rng(2).normal(size=out.shape)
    dx = max_pool_backward(dout, x, pool, stride)
    num = numeric_gradient(lambda v: max_pool_forward(v, pool, stride), x, dout)
    assert dx.shape == x.shape
    assert rel_error(dx, num) < TOL, f"rel error {rel_error(dx, num)}"


def test_max_pool_ties_first_maximum_gets_gradient_non_overlapping():
    # Numeric gradients mean nothing at ties: the rule is checked by hand.
    x = np.full((1, 1, 4, 4), 3.0)
    dout = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    dx = max_pool_backward(dout, x, 2, 2)
    expected = np.zeros((4, 4))
    expected[::2, ::2] = dout[0, 0]  # the top-left entry of each window
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_max_pool_ties_first_in_row_major_order():
    # window [[1, 5], [5, 2]]: both 5s tie; (0, 1) comes first in row-major order
    x = np.array([[1.0, 5.0], [5.0, 2.0]]).reshape(1, 1, 2, 2)
    dx = max_pool_backward(np.array([[[[7.0]]]]), x, 2, 2)
    np.testing.assert_array_equal(dx[0, 0], [[0.0, 7.0], [0.0, 0.0]])
    # [[0, 0], [4, 4]]: (1, 0) before (1, 1)
    x = np.array([[0.0, 0.0], [4.0, 4.0]]).reshape(1, 1, 2, 2)
    dx = max_pool_backward(np.array([[[[7.0]]]]), x, 2, 2)
    np.testing.assert_array_equal(dx[0, 0], [[0.0, 0.0], [7.0, 0.0]])


def test_max_pool_ties_overlapping_constant_input():
    # pool 2, stride 1 on a constant 3x4 image: every window's first maximum is
    # its own top-left pixel, so window (i, j) sends its gradient to (i, j).
    x = np.zeros((1, 1, 3, 4))
    dout = np.arange(1.0, 7.0).reshape(1, 1, 2, 3)
    dx = max_pool_backward(dout, x, 2, 1)
    expected = np.zeros((3, 4))
    expected[:2, :3] = dout[0, 0]
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_max_pool_overlapping_windows_accumulate():
    # The centre of a 3x3 image is the maximum of all four 2x2 stride-1 windows.
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 9.0
    dout = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    dx = max_pool_backward(dout, x, 2, 1)
    expected = np.zeros((3, 3))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(dx[0, 0], expected)
    # pool 3 stride 2 on 5x5: the centre pixel lies in all four windows
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 2, 2] = 1.0
    dx = max_pool_backward(dout, x, 3, 2)
    assert dx[0, 0, 2, 2] == 10.0 and np.count_nonzero(dx) == 1


# ---------------------------------------------------------------- CNN

def _cnn_case(reg_seed=0):
    rng = np.random.default_rng(reg_seed)
    params = init_cnn((2, 6, 4), num_filters=3, filter_size=3, num_classes=4, seed=1)
    # non-zero biases, so that a gradient that ignores them is caught
    params["b1"] = rng.normal(size=3) * 0.5
    params["b2"] = rng.normal(size=4)
    X = rng.normal(size=(5, 2, 6, 4))
    y = np.array([0, 3, 1, 2, 3])
    return params, X, y


@pytest.mark.parametrize("key", ["W1", "b1", "W2", "b2"])
def test_cnn_gradients_match_numeric(key):
    params, X, y = _cnn_case()
    reg = 0.3
    loss, grads = cnn_loss_and_grads(params, X, y, reg=reg)
    assert isinstance(loss, float)
    assert set(grads) == set(params) and grads[key].shape == params[key].shape

    def loss_of(value):
        return cnn_loss_and_grads({**params, key: value}, X, y, reg=reg)[0]

    num = numeric_gradient(loss_of, params[key])
    assert rel_error(grads[key], num) < TOL, f"{key}: rel error {rel_error(grads[key], num)}"


def test_cnn_loss_is_cross_entropy_of_scores_plus_l2():
    params, X, y = _cnn_case()
    scores = cnn_forward(params, X)
    assert scores.shape == (5, 4)
    data_loss = softmax_cross_entropy(scores, y)[0]
    assert cnn_loss_and_grads(params, X, y)[0] == pytest.approx(data_loss, rel=1e-12)
    penalty = 0.7 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    assert cnn_loss_and_grads(params, X, y, reg=0.7)[0] == pytest.approx(data_loss + penalty, rel=1e-12)


def test_cnn_forward_composes_the_layers():
    params, X, _ = _cnn_case()
    conv = naive_conv_forward(X, params["W1"], params["b1"], 1, 1)
    pooled = naive_max_pool_forward(np.maximum(conv, 0), 2, 2)
    expected = pooled.reshape(5, -1) @ params["W2"].T + params["b2"]
    np.testing.assert_allclose(cnn_forward(params, X), expected, rtol=1e-12, atol=1e-12)


def test_init_cnn_shapes_scale_and_seed():
    params = init_cnn((3, 8, 6), num_filters=16, filter_size=5, num_classes=10, seed=7)
    assert params["W1"].shape == (16, 3, 5, 5)
    assert params["b1"].shape == (16,)
    assert params["W2"].shape == (10, 16 * 4 * 3)
    assert params["b2"].shape == (10,)
    assert all(v.dtype == np.float64 for v in params.values())
    np.testing.assert_array_equal(params["b1"], 0.0)
    np.testing.assert_array_equal(params["b2"], 0.0)
    # He: std sqrt(2 / fan_in); 1200 and 1920 samples put the std within ~10 %
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 75), rel=0.1)
    assert params["W2"].std() == pytest.approx(np.sqrt(2 / 192), rel=0.1)
    again = init_cnn((3, 8, 6), 16, 5, 10, seed=7)
    other = init_cnn((3, 8, 6), 16, 5, 10, seed=8)
    np.testing.assert_array_equal(params["W1"], again["W1"])
    assert not np.array_equal(params["W1"], other["W1"])


@pytest.mark.parametrize(
    "args,match",
    [
        (((1, 7, 8), 4, 3, 10), "even"),
        (((1, 8, 5), 4, 3, 10), "even"),
        (((1, 8, 8), 4, 4, 10), "odd"),
        (((1, 8, 8), 4, 0, 10), "odd"),
        (((8, 8), 4, 3, 10), r"\(C, H, W\)"),
        (((1, 8, 8), 0, 3, 10), "num_filters"),
    ],
)
def test_init_cnn_rejects_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        init_cnn(*args)


def test_cnn_rejects_wrong_channels():
    params = init_cnn((1, 8, 8), 4, 3, 10)
    with pytest.raises(ValueError, match="channel"):
        cnn_forward(params, np.zeros((2, 3, 8, 8)))


# ---------------------------------------------------------------- geometry

def test_conv_output_size_examples():
    assert conv_output_size(32, 5, 1, 2) == 32
    assert conv_output_size(7, 3, 2, 0) == 3
    assert conv_output_size(5, 5) == 1
    assert conv_output_size(4, 2, stride=2) == 2


@pytest.mark.parametrize(
    "args,match",
    [
        ((7, 3, 3, 0), r"\(7 \+ 2\*0 - 3\) = 4 is not divisible by stride=3"),
        ((5, 2, 2, 0), "not divisible"),
        ((3, 5, 1, 0), "larger than the padded input"),
        ((3, 8, 1, 2), "larger than the padded input"),
        ((5, 3, 0, 0), "stride must be >= 1"),
        ((5, 3, 1, -1), "pad must be >= 0"),
        ((5, 3, 1.5, 0), "stride must be an integer"),
    ],
)
def test_conv_output_size_rejects_bad_geometry(args, match):
    with pytest.raises(ValueError, match=match):
        conv_output_size(*args)


def _input_size(out, filter_size, stride, pad):
    """The smallest input size >= 1 whose output is ``out`` or a bit more, and that divides."""
    size = (out - 1) * stride + filter_size - 2 * pad
    while size < 1:
        size += stride
    return size


@given(
    st.integers(1, 3), st.integers(0, 2),  # stride, pad
    st.integers(1, 5), st.integers(1, 5),  # HH, WW
    st.integers(1, 5), st.integers(1, 5),  # wanted H', W'
    st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),  # N, C, F
)
def test_conv_shapes_on_valid_geometries(stride, pad, HH, WW, Ho, Wo, N, C, F):
    H, W = _input_size(Ho, HH, stride, pad), _input_size(Wo, WW, stride, pad)
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    assert conv_output_size(H, HH, stride, pad) == H_out
    assert conv_output_size(W, WW, stride, pad) == W_out
    x, w, b = _conv_inputs((N, C, H, W), (F, C, HH, WW))
    out = conv_forward(x, w, b, stride, pad)
    assert out.shape == (N, F, H_out, W_out)
    np.testing.assert_allclose(out, naive_conv_forward(x, w, b, stride, pad), rtol=1e-11, atol=1e-11)
    dx, dw, db = conv_backward(np.ones_like(out), x, w, b, stride, pad)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)
    # with dout = 1, db[f] counts the output pixels
    np.testing.assert_allclose(db, N * H_out * W_out)


@given(
    st.integers(1, 12), st.integers(1, 6), st.integers(1, 4), st.integers(0, 3),
)
def test_conv_output_size_divides_or_raises(size, filter_size, stride, pad):
    span = size + 2 * pad - filter_size
    if span >= 0 and span % stride == 0:
        out = conv_output_size(size, filter_size, stride, pad)
        assert (out - 1) * stride + filter_size == size + 2 * pad
    else:
        with pytest.raises(ValueError):
            conv_output_size(size, filter_size, stride, pad)
        with pytest.raises(ValueError):
            conv_forward(np.zeros((1, 1, size, size)), np.zeros((1, 1, filter_size, filter_size)),
                         np.zeros(1), stride, pad)


@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4))
def test_max_pool_shapes_on_valid_geometries(pool, stride, H_out, W_out):
    H, W = (H_out - 1) * stride + pool, (W_out - 1) * stride + pool
    x = np.random.default_rng(H * 31 + W).normal(size=(2, 3, H, W))
    out = max_pool_forward(x, pool, stride)
    assert out.shape == (2, 3, H_out, W_out)
    dx = max_pool_backward(np.ones_like(out), x, pool, stride)
    # every window sends exactly its gradient (1) to one pixel
    assert dx.shape == x.shape and dx.sum() == pytest.approx(out.size)


# ---------------------------------------------------------------- bad input, purity

def test_conv_rejects_bad_arguments():
    x, w, b = _conv_inputs((2, 3, 5, 5), (4, 3, 3, 3))
    with pytest.raises(ValueError, match=r"4-D.*got shape \(3, 5, 5\)"):
        conv_forward(x[0], w, b)
    with pytest.raises(ValueError, match=r"w must be a 4-D"):
        conv_forward(x, w[0], b)
    with pytest.raises(ValueError, match=r"C=3.*C=2"):
        conv_forward(x, w[:, :2], b)
    with pytest.raises(ValueError, match=r"\(4,\).*\(3,\)"):
        conv_forward(x, w, b[:3])
    with pytest.raises(ValueError, match="not divisible by stride=2"):
        conv_forward(x[:, :, :4, :4], w, b, stride=2)
    out = conv_forward(x, w, b)
    with pytest.raises(ValueError, match=r"\(2, 4, 3, 3\).*\(2, 4, 3, 2\)"):
        conv_backward(out[..., :2], x, w, b)
    with pytest.raises(ValueError, match="channel mismatch"):
        conv_backward(out, x, w[:, :2], b)


def test_max_pool_rejects_bad_arguments():
    x = np.zeros((2, 3, 5, 5))
    with pytest.raises(ValueError, match="not divisible by stride=2"):
        max_pool_forward(x, 2, 2)
    with pytest.raises(ValueError, match="4-D"):
        max_pool_forward(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match=r"\(2, 3, 2, 2\).*\(2, 3, 2, 3\)"):
        max_pool_backward(np.zeros((2, 3, 2, 3)), x[:, :, :4, :4])


def test_inputs_are_not_modified():
    x, w, b = _conv_inputs((2, 3, 6, 6), (4, 3, 3, 3))
    dout = np.random.default_rng(3).normal(size=(2, 4, 6, 6))
    saved = [a.copy() for a in (x, w, b, dout)]
    conv_forward(x, w, b, 1, 1)
    conv_backward(dout, x, w, b, 1, 1)
    max_pool_forward(x, 2, 2)
    max_pool_backward(dout[:, :3, :3, :3], x, 2, 2)
    for before, after in zip(saved, (x, w, b, dout)):
        np.testing.assert_array_equal(before, after)

    params, X, y = _cnn_case()
    saved = {k: v.copy() for k, v in params.items()}
    X_saved, y_saved = X.copy(), y.copy()
    cnn_forward(params, X)
    cnn_loss_and_grads(params, X, y, reg=0.1)
    for k in params:
        np.testing.assert_array_equal(params[k], saved[k])
    np.testing.assert_array_equal(X, X_saved)
    np.testing.assert_array_equal(y, y_saved)


def test_integer_inputs_give_float64():
    x = np.arange(16).reshape(1, 1, 4, 4)
    out = conv_forward(x, np.ones((1, 1, 2, 2), dtype=int), np.zeros(1, dtype=int), stride=2)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 0], [[10, 18], [42, 50]])
    assert max_pool_forward(x).dtype == np.float64
