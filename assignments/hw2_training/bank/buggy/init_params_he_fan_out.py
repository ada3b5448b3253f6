"""init_params scales by sqrt(2 / fan_out) instead of He's sqrt(2 / fan_in)."""
import numpy as np

MODULE = "network"
KILLED_BY = ["2.3"]


def init_params(layer_sizes, seed=0):
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
        raise ValueError(f"layer_sizes must be at least two positive integers, got {layer_sizes!r}")
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1])) * np.sqrt(2.0 / sizes[l])
        params[f"b{l}"] = np.zeros(sizes[l])
    return params
