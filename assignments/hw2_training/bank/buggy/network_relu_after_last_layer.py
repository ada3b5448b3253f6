"""forward applies a ReLU to the output scores too (the last layer must stay linear)."""
import numpy as np
from nnkit.activations import relu_forward
from nnkit.layers import linear_forward

MODULE = "network"
KILLED_BY = ["2.3"]


def forward(params, X):
    L = sum(1 for key in params if key.startswith("W"))
    h = np.asarray(X, dtype=np.float64)
    for l in range(1, L + 1):
        h = relu_forward(linear_forward(h, params[f"W{l}"], params[f"b{l}"]))
    return h
