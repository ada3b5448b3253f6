"""init_cnn sizes W2 for the un-pooled feature map, F·H·W instead of F·(H/2)·(W/2)."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.5"]


def init_cnn(input_shape, num_filters, filter_size, num_classes, seed=0):
    C, H, W = (int(s) for s in input_shape)
    rng = np.random.default_rng(seed)
    k = filter_size
    hidden = num_filters * H * W
    return {
        "W1": rng.standard_normal((num_filters, C, k, k)) * np.sqrt(2.0 / (C * k * k)),
        "b1": np.zeros(num_filters),
        "W2": rng.standard_normal((num_classes, hidden)) * np.sqrt(2.0 / hidden),
        "b2": np.zeros(num_classes),
    }
