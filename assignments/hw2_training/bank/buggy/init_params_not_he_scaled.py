"""init_params draws weights with std 0.01 (CS231n's old default) instead of He's sqrt(2 / fan_in)."""
import numpy as np

MODULE = "network"
KILLED_BY = ["2.3"]


def init_params(layer_sizes, seed=0):
    sizes = list(layer_sizes)
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = 0.01 * rng.standard_normal((sizes[l], sizes[l - 1]))
        params[f"b{l}"] = np.zeros(sizes[l])
    return params
