"""minibatch_indices drops the last partial batch (n not a multiple of batch_size loses samples)."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.6"]


def minibatch_indices(n, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n)
    return [order[start : start + batch_size] for start in range(0, n - batch_size + 1, batch_size)]
