"""Convolution, max-pooling and a small convolutional network (hw3_cnn).

Conventions (as in CS231n and the lecture's "one simple step of convolution":
a 5x5x3 filter slides over a 32x32x3 image, and each step is the dot product of
the filter with one 5x5x3 chunk of the image, plus a bias):

- images are batch first, channels first: ``x`` has shape ``(N, C, H, W)``;
- filters ``w`` have shape ``(F, C, HH, WW)``, one bias per filter ``b (F,)``;
- "convolution" is cross-correlation, as in CS231n and every deep-learning
  library: the filter is NOT flipped,
  ``out[n, f, i, j] = b[f] + sum_{c, p, q} w[f, c, p, q] * xpad[n, c, i*S + p, j*S + q]``;
- with stride ``S`` and zero padding ``P`` on each side, the output size is
  ``conv_output_size``'s; a geometry where the filter's positions do not tile
  the padded input exactly raises ``ValueError``: we never silently drop pixels;
- everything is float64; no function modifies its inputs.

The implementation is vectorised with "im2col": every filter-sized window of
the padded input becomes one column of a matrix, and the convolution of the
whole batch is then ONE matrix product with the filters.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nnkit.activations import relu_backward, relu_forward
from nnkit.layers import linear_backward, linear_forward
from nnkit.losses import l2_regularization, softmax_cross_entropy


def _as_4d(name, a):
    """``a`` as a float64 array of shape ``(N, C, H, W)``, or ``ValueError``.

    A helper, not graded: it only checks arguments.
    """
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 4:
        raise ValueError(
            f"{name} must be a 4-D array (N, C, H, W); got shape {a.shape} ({a.ndim}-D)"
        )
    return a


def _check_conv_args(x, w, b):
    """Check the shapes of a convolution's ``x``, ``w`` and ``b``; return them as float64.

    A helper, not graded: it only checks arguments.
    """
    x = _as_4d("x", x)
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4:
        raise ValueError(
            f"w must be a 4-D array (F, C, HH, WW); got shape {w.shape} ({w.ndim}-D)"
        )
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"channel mismatch: x has C={x.shape[1]} channels (shape {x.shape}) "
            f"but w expects C={w.shape[1]} (shape {w.shape})"
        )
    b = np.asarray(b, dtype=np.float64)
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape (F,) = ({w.shape[0]},); got {b.shape}")
    return x, w, b


def _check_dout(dout, expected):
    """``dout`` as float64, or ``ValueError`` if its shape is not ``expected``.

    A helper, not graded: it only checks arguments.
    """
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != expected:
        raise ValueError(
            f"dout must have the forward output's shape {expected}; got {dout.shape}"
        )
    return dout


def conv_output_size(size, filter_size, stride=1, pad=0):
    """Output size of a convolution (or pooling) along one spatial dimension.

    How many positions a filter takes along the padded input, moving by
    ``stride`` (the lecture's convolution primer); e.g. a 32-wide image,
    5-wide filter, stride 1, pad 2 gives 32.

    Inputs:
    - size: int, input size H (or W).
    - filter_size: int, filter size HH (or WW), at least 1.
    - stride: int, at least 1.
    - pad: int, zeros added on EACH side, at least 0.

    Returns:
    - out: int, at least 1.

    Raises ``ValueError`` when the filter's positions do not tile the padded
    input exactly (the last step would hang over its edge), when there is no
    position at all (filter larger than the padded input), and for a
    non-integer or out-of-range argument.
    """
    ### BEGIN SOLUTION
    for name, value, low in (
        ("size", size, 1),
        ("filter_size", filter_size, 1),
        ("stride", stride, 1),
        ("pad", pad, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be an integer; got {value!r}")
        if value < low:
            raise ValueError(f"{name} must be >= {low}; got {value}")
    span = size + 2 * pad - filter_size
    if span < 0:
        raise ValueError(
            f"filter_size={filter_size} is larger than the padded input "
            f"size + 2*pad = {size} + 2*{pad} = {size + 2 * pad}"
        )
    if span % stride != 0:
        raise ValueError(
            f"geometry does not divide: (size + 2*pad - filter_size) = "
            f"({size} + 2*{pad} - {filter_size}) = {span} is not divisible by stride={stride}"
        )
    return span // stride + 1
    ### END SOLUTION


def conv_forward(x, w, b, stride=1, pad=0):
    """Forward pass of a convolutional layer (cross-correlation, no kernel flip).

    ``out[n, f, i, j] = b[f] + sum_{c, p, q} w[f, c, p, q] * xpad[n, c, i*S + p, j*S + q]``
    where ``xpad`` is ``x`` with ``pad`` zeros on each side of H and W.

    Inputs:
    - x: input data of shape (N, C, H, W).
    - w: filters of shape (F, C, HH, WW).
    - b: biases of shape (F,).
    - stride: int S >= 1, the step between neighbouring windows.
    - pad: int P >= 0, zeros added on each side of the height and width.

    Returns:
    - out: output of shape (N, F, H', W') with
      ``H' = (H + 2P - HH) / S + 1`` and ``W' = (W + 2P - WW) / S + 1``.

    Raises ``ValueError`` for a non-4-D ``x`` or ``w``, a channel mismatch, a
    ``b`` not of shape (F,), or a geometry that does not divide evenly.
    """
    ### BEGIN SOLUTION
    x, w, b = _check_conv_args(x, w, b)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = conv_output_size(H, HH, stride, pad)
    W_out = conv_output_size(W, WW, stride, pad)

    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    # (N, C, H', W', HH, WW): a view, no copy yet.
    windows = sliding_window_view(xpad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    # im2col: one column per output pixel. Ordering the rows (C, HH, WW) and
    # the columns (N, H', W') makes the copy run over contiguous rows of x,
    # which is several times faster than the (N, H', W') x (C, HH, WW) layout.
    cols = windows.transpose(1, 4, 5, 0, 2, 3).reshape(C * HH * WW, N * H_out * W_out)
    out = w.reshape(F, -1) @ cols + b[:, None]
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv_backward(dout, x, w, b, stride=1, pad=0):
    """Backward pass of a convolutional layer.

    Differentiate ``conv_forward``'s sum entry by entry. Each input pixel
    takes part in several windows, and each filter weight in every window of
    every image: their gradients collect what every window sends back.

    Hint: work on the padded input, then cut the padding off its gradient.

    Inputs:
    - dout: upstream gradient dL/dout of shape (N, F, H', W').
    - x, w, b, stride, pad: the forward pass's inputs, as in ``conv_forward``.

    Returns a tuple of:
    - dx: gradient with respect to x, shape (N, C, H, W).
    - dw: gradient with respect to w, shape (F, C, HH, WW).
    - db: gradient with respect to b, shape (F,).

    Raises ``ValueError`` for the arguments ``conv_forward`` rejects and for a
    ``dout`` whose shape is not the forward output's.
    """
    ### BEGIN SOLUTION
    x, w, b = _check_conv_args(x, w, b)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = conv_output_size(H, HH, stride, pad)
    W_out = conv_output_size(W, WW, stride, pad)
    dout = _check_dout(dout, (N, F, H_out, W_out))

    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xpad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    cols = windows.transpose(1, 4, 5, 0, 2, 3).reshape(C * HH * WW, N * H_out * W_out)
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(F, N * H_out * W_out)

    db = dout.sum(axis=(0, 2, 3))
    dw = (dout_mat @ cols.T).reshape(F, C, HH, WW)

    # col2im: gradient of every window's entries, then add each window back
    # where it came from. The loop runs over the HH*WW filter offsets (25 for
    # a 5x5 filter), never over the batch or pixels; it is about 3x faster
    # than np.add.at / np.bincount with precomputed indices.
    dcols = (w.reshape(F, -1).T @ dout_mat).reshape(C, HH, WW, N, H_out, W_out)
    dxpad = np.zeros((C, N, H + 2 * pad, W + 2 * pad))
    for p in range(HH):
        for q in range(WW):
            dxpad[:, :, p:p + stride * H_out:stride, q:q + stride * W_out:stride] += dcols[:, p, q]
    dx = np.ascontiguousarray(dxpad[:, :, pad:pad + H, pad:pad + W].transpose(1, 0, 2, 3))
    return dx, dw, db
    ### END SOLUTION


def max_pool_forward(x, pool=2, stride=2):
    """Forward pass of max-pooling over ``pool x pool`` windows of each channel.

    ``out[n, c, i, j] = max_{p, q < pool} x[n, c, i*S + p, j*S + q]``, no padding.
    Windows overlap when ``stride < pool``.

    Inputs:
    - x: input data of shape (N, C, H, W).
    - pool: int, the window's height and width.
    - stride: int S, the step between windows.

    Returns:
    - out: output of shape (N, C, H', W'), ``H' = (H - pool) / S + 1``,
      ``W' = (W - pool) / S + 1``.

    Raises ``ValueError`` for a non-4-D ``x`` or a geometry that does not
    divide evenly (as ``conv_output_size`` with pad 0).
    """
    ### BEGIN SOLUTION
    x = _as_4d("x", x)
    N, C, H, W = x.shape
    H_out = conv_output_size(H, pool, stride, 0)
    W_out = conv_output_size(W, pool, stride, 0)
    # A running maximum over the pool*pool window offsets: each step compares
    # whole strided slices (no loop over pixels), about 20x faster than a
    # .max() over the window axes of a sliding_window_view.
    out = x[:, :, 0:stride * H_out:stride, 0:stride * W_out:stride].copy()
    for k in range(1, pool * pool):
        p, q = divmod(k, pool)
        np.maximum(out, x[:, :, p:p + stride * H_out:stride, q:q + stride * W_out:stride], out=out)
    return out
    ### END SOLUTION


def max_pool_backward(dout, x, pool=2, stride=2):
    """Backward pass of max-pooling.

    Each window is a max gate (homework 1's ``max_backward``). Convention at a
    tie: only the FIRST maximum of the window in row-major order (smallest
    row, then smallest column) counts as the one that won. When windows
    overlap (``stride < pool``) an entry can win several windows.

    Inputs:
    - dout: upstream gradient of shape (N, C, H', W').
    - x, pool, stride: the forward pass's inputs, as in ``max_pool_forward``.

    Returns:
    - dx: gradient with respect to x, shape (N, C, H, W).

    Raises ``ValueError`` for the arguments ``max_pool_forward`` rejects and
    for a ``dout`` whose shape is not the forward output's.
    """
    ### BEGIN SOLUTION
    x = _as_4d("x", x)
    N, C, H, W = x.shape
    H_out = conv_output_size(H, pool, stride, 0)
    W_out = conv_output_size(W, pool, stride, 0)
    dout = _check_dout(dout, (N, C, H_out, W_out))

    out = max_pool_forward(x, pool, stride)
    dx = np.zeros_like(x)
    # Visit the window offsets in row-major order; `taken` marks the windows
    # whose maximum was already found, so a later tie gets nothing.
    taken = np.zeros(out.shape, dtype=bool)
    for k in range(pool * pool):
        p, q = divmod(k, pool)
        rows = slice(p, p + stride * H_out, stride)
        cols = slice(q, q + stride * W_out, stride)
        hit = x[:, :, rows, cols] == out
        hit &= ~taken
        taken |= hit
        dx[:, :, rows, cols] += np.where(hit, dout, 0.0)
    return dx
    ### END SOLUTION


def init_cnn(input_shape, num_filters, filter_size, num_classes, seed=0):
    """Parameters of the network conv - ReLU - 2x2 max-pool - linear.

    He initialisation: weights are Gaussian with variance ``2 / fan_in``
    (``fan_in = C * k * k`` for the filters, ``F * (H/2) * (W/2)`` for the
    linear layer); biases are zero.

    Inputs:
    - input_shape: tuple (C, H, W) of one image; H and W must be even (the
      2x2 pool halves them).
    - num_filters: int F >= 1.
    - filter_size: odd int k >= 1 (the convolution pads by (k - 1) / 2, so
      it keeps H and W).
    - num_classes: int >= 1.
    - seed: seed of ``np.random.default_rng``.

    Returns a dict:
    - W1: (F, C, k, k), b1: (F,),
    - W2: (num_classes, F * (H/2) * (W/2)), b2: (num_classes,).
    """
    ### BEGIN SOLUTION
    if len(tuple(input_shape)) != 3:
        raise ValueError(f"input_shape must be (C, H, W); got {input_shape!r}")
    C, H, W = (int(s) for s in input_shape)
    if min(C, H, W) < 1:
        raise ValueError(f"input_shape must be positive; got {input_shape!r}")
    if H % 2 or W % 2:
        raise ValueError(f"H and W must be even for the 2x2 max-pool; got H={H}, W={W}")
    if filter_size < 1 or filter_size % 2 == 0:
        raise ValueError(f"filter_size must be a positive odd integer; got {filter_size}")
    if num_filters < 1 or num_classes < 1:
        raise ValueError(
            f"num_filters and num_classes must be >= 1; got {num_filters}, {num_classes}"
        )
    rng = np.random.default_rng(seed)
    k = filter_size
    hidden = num_filters * (H // 2) * (W // 2)
    return {
        "W1": rng.standard_normal((num_filters, C, k, k)) * np.sqrt(2.0 / (C * k * k)),
        "b1": np.zeros(num_filters),
        "W2": rng.standard_normal((num_classes, hidden)) * np.sqrt(2.0 / hidden),
        "b2": np.zeros(num_classes),
    }
    ### END SOLUTION


def cnn_forward(params, X):
    """Class scores of the network conv - ReLU - 2x2 max-pool - linear.

    The convolution has stride 1 and pad ``(k - 1) // 2``, so it keeps H and W.

    Inputs:
    - params: dict from ``init_cnn`` (W1, b1, W2, b2).
    - X: images of shape (N, C, H, W).

    Returns:
    - scores: (N, num_classes).
    """
    ### BEGIN SOLUTION
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    X = _as_4d("X", X)
    pad = (W1.shape[2] - 1) // 2
    hidden = relu_forward(conv_forward(X, W1, b1, 1, pad))
    pooled = max_pool_forward(hidden, 2, 2)
    return linear_forward(pooled.reshape(X.shape[0], -1), W2, b2)
    ### END SOLUTION


def cnn_loss_and_grads(params, X, y, reg=0.0):
    """Loss and gradients of the network conv - ReLU - 2x2 max-pool - linear.

    ``L = softmax_cross_entropy(scores, y) + reg * (||W1||^2 + ||W2||^2)``
    (biases are not regularised); the backward pass runs the layers' backward
    functions in reverse order.

    Inputs:
    - params: dict from ``init_cnn`` (W1, b1, W2, b2).
    - X: images of shape (N, C, H, W).
    - y: integer labels of shape (N,), in 0 .. num_classes - 1.
    - reg: float >= 0, the L2 regularisation strength.

    Returns a tuple of:
    - loss: float.
    - grads: dict with the keys of ``params``, each shaped like its parameter.
    """
    ### BEGIN SOLUTION
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    X = _as_4d("X", X)
    pad = (W1.shape[2] - 1) // 2

    conv = conv_forward(X, W1, b1, 1, pad)
    hidden = relu_forward(conv)
    pooled = max_pool_forward(hidden, 2, 2)
    flat = pooled.reshape(X.shape[0], -1)
    scores = linear_forward(flat, W2, b2)
    loss, dscores = softmax_cross_entropy(scores, y)

    dflat, dW2, db2 = linear_backward(dscores, flat, W2, b2)
    dhidden = max_pool_backward(dflat.reshape(pooled.shape), hidden, 2, 2)
    dconv = relu_backward(dhidden, conv)
    _, dW1, db1 = conv_backward(dconv, X, W1, b1, 1, pad)

    reg1, dreg1 = l2_regularization(W1, reg)
    reg2, dreg2 = l2_regularization(W2, reg)
    grads = {"W1": dW1 + dreg1, "b1": db1, "W2": dW2 + dreg2, "b2": db2}
    return float(loss + reg1 + reg2), grads
    ### END SOLUTION
