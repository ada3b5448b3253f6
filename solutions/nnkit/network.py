"""An L-layer fully connected ReLU network for classification.

Architecture: (linear – ReLU) × (L − 1) – linear – softmax cross-entropy.
Parameters live in a dict with keys ``W1, b1, …, WL, bL``; layer l computes
``h_l = h_{l−1} @ Wlᵀ + bl`` with ``Wl`` of shape ``(m, d)`` as in the
lecture (``q = W x``). Built from ``layers``, ``activations`` and ``losses``:
the forward pass keeps each layer's input, the backward pass feeds the
upstream gradient through the same layers in reverse (backpropagation).
"""

import numpy as np

from nnkit.activations import relu_backward, relu_forward
from nnkit.layers import linear_backward, linear_forward
from nnkit.losses import l2_regularization, softmax_cross_entropy


def _num_layers(params):
    """L, after checking that params holds exactly W1, b1, …, WL, bL."""
    L = sum(1 for key in params if key.startswith("W"))
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L < 1 or set(params) != expected:
        raise ValueError(f"params must have keys W1, b1, ..., WL, bL; got {sorted(params)}")
    return L


def init_params(layer_sizes, seed=0):
    """Random initial parameters of an L-layer network (He initialisation).

    Wl ~ N(0, 2 / fan_in) with fan_in = layer_sizes[l−1] (keeps the variance of
    ReLU activations steady from layer to layer); bl = 0.

    Inputs:
    - layer_sizes: sequence [d, h1, …, C] of L + 1 positive integers: input
      dimension, hidden sizes, number of classes (L ≥ 1)
    - seed: seed of ``np.random.default_rng``

    Returns:
    - params: dict with, for l = 1 … L, ``Wl`` of shape
      (layer_sizes[l], layer_sizes[l−1]) and ``bl`` of shape (layer_sizes[l],), float64
    """
    ### BEGIN SOLUTION
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
        raise ValueError(f"layer_sizes must be at least two positive integers [d, ..., C], got {layer_sizes!r}")
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(sizes)):
        fan_in, fan_out = sizes[l - 1], sizes[l]
        params[f"W{l}"] = rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)
        params[f"b{l}"] = np.zeros(fan_out)
    return params
    ### END SOLUTION


def forward(params, X):
    """Class scores of the network: ReLU after every layer but the last.

    h_0 = X,  h_l = ReLU(h_{l−1} @ Wlᵀ + bl) for l < L,  scores = h_{L−1} @ WLᵀ + bL

    Inputs:
    - params: dict ``W1, b1, …, WL, bL`` as from ``init_params``
    - X: data of shape (N, d)

    Returns:
    - scores: shape (N, C), C = number of rows of WL
    """
    ### BEGIN SOLUTION
    L = _num_layers(params)
    h = np.asarray(X, dtype=np.float64)
    for l in range(1, L):
        h = relu_forward(linear_forward(h, params[f"W{l}"], params[f"b{l}"]))
    return linear_forward(h, params[f"W{L}"], params[f"b{L}"])
    ### END SOLUTION


def loss_and_grads(params, X, y, reg=0.0):
    """Regularised softmax cross-entropy loss of the network and its gradients by backpropagation.

    loss = softmax_cross_entropy(forward(params, X), y) + reg · Σ_l ||Wl||²

    (biases are not regularised). Backpropagation runs the layers of
    ``forward`` in reverse order, each with its own backward function.

    Hint: keep what the forward pass computed at every layer; the backward
    functions of homework 1 (``linear_backward``, ``relu_backward``) need it.

    Inputs:
    - params: dict ``W1, b1, …, WL, bL`` as from ``init_params``
    - X: data of shape (N, d)
    - y: integer labels of shape (N,), each in [0, C)
    - reg: L2 regularisation strength (float ≥ 0)

    Returns a tuple of:
    - loss: float
    - grads: dict with the keys of params, each gradient shaped like its parameter
    """
    ### BEGIN SOLUTION
    L = _num_layers(params)
    # forward, keeping every linear layer's input and every ReLU's input
    h = np.asarray(X, dtype=np.float64)
    inputs, pre_activations = [], []
    for l in range(1, L + 1):
        inputs.append(h)
        h = linear_forward(h, params[f"W{l}"], params[f"b{l}"])
        if l < L:
            pre_activations.append(h)
            h = relu_forward(h)
    loss, dout = softmax_cross_entropy(h, y)
    # backward, last layer first
    grads = {}
    for l in range(L, 0, -1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        dout, dW, grads[f"b{l}"] = linear_backward(dout, inputs[l - 1], W, b)
        reg_loss, dreg = l2_regularization(W, reg)
        loss += reg_loss
        grads[f"W{l}"] = dW + dreg
        if l > 1:
            dout = relu_backward(dout, pre_activations[l - 2])
    return float(loss), grads
    ### END SOLUTION


def predict(params, X):
    """Predicted class of every sample: the index of its largest score.

    Inputs:
    - params: dict ``W1, b1, …, WL, bL`` as from ``init_params``
    - X: data of shape (N, d)

    Returns:
    - y_pred: int64 labels of shape (N,), each in [0, C)
    """
    ### BEGIN SOLUTION
    return np.argmax(forward(params, X), axis=1).astype(np.int64)
    ### END SOLUTION
