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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError


def cnn_forward(params, X):
    """Class scores of the network conv - ReLU - 2x2 max-pool - linear.

    The convolution has stride 1 and pad ``(k - 1) // 2``, so it keeps H and W.

    Inputs:
    - params: dict from ``init_cnn`` (W1, b1, W2, b2).
    - X: images of shape (N, C, H, W).

    Returns:
    - scores: (N, num_classes).
    """
    # YOUR CODE HERE
    raise NotImplementedError


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
    # YOUR CODE HERE
    raise NotImplementedError
