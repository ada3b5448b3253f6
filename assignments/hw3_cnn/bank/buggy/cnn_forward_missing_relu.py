"""cnn_forward leaves out the ReLU between the convolution and the pooling."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.5"]


def cnn_forward(params, X):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    X = np.asarray(X, dtype=np.float64)
    pad = (W1.shape[2] - 1) // 2
    pooled = max_pool_forward(conv_forward(X, W1, b1, 1, pad), 2, 2)
    return linear_forward(pooled.reshape(X.shape[0], -1), W2, b2)
