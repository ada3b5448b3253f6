"""cnn_loss_and_grads skips the ReLU's mask in the backward pass (gradient flows where conv < 0)."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.5"]


def cnn_loss_and_grads(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    X = np.asarray(X, dtype=np.float64)
    pad = (W1.shape[2] - 1) // 2
    conv = conv_forward(X, W1, b1, 1, pad)
    hidden = relu_forward(conv)
    pooled = max_pool_forward(hidden, 2, 2)
    flat = pooled.reshape(X.shape[0], -1)
    loss, dscores = softmax_cross_entropy(linear_forward(flat, W2, b2), y)
    dflat, dW2, db2 = linear_backward(dscores, flat, W2, b2)
    dconv = max_pool_backward(dflat.reshape(pooled.shape), hidden, 2, 2)
    _, dW1, db1 = conv_backward(dconv, X, W1, b1, 1, pad)
    loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    return float(loss), {"W1": dW1 + 2 * reg * W1, "b1": db1, "W2": dW2 + 2 * reg * W2, "b2": db2}
