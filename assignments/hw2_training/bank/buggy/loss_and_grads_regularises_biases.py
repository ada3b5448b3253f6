"""loss_and_grads adds reg · Σ b² for the biases too (only the weights are regularised)."""
import numpy as np
from nnkit.activations import relu_backward, relu_forward
from nnkit.layers import linear_backward, linear_forward
from nnkit.losses import softmax_cross_entropy

MODULE = "network"
KILLED_BY = ["2.4"]


def loss_and_grads(params, X, y, reg=0.0):
    L = sum(1 for key in params if key.startswith("W"))
    h = np.asarray(X, dtype=np.float64)
    inputs, pre = [], []
    for l in range(1, L + 1):
        inputs.append(h)
        h = linear_forward(h, params[f"W{l}"], params[f"b{l}"])
        if l < L:
            pre.append(h)
            h = relu_forward(h)
    loss, dout = softmax_cross_entropy(h, y)
    grads = {}
    for l in range(L, 0, -1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        dout, dW, db = linear_backward(dout, inputs[l - 1], W, b)
        loss += reg * (np.sum(W * W) + np.sum(b * b))
        grads[f"W{l}"] = dW + 2.0 * reg * W
        grads[f"b{l}"] = db + 2.0 * reg * b
        if l > 1:
            dout = relu_backward(dout, pre[l - 2])
    return float(loss), grads
