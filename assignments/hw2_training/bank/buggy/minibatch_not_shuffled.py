"""minibatch_indices cuts range(n) in order, without shuffling (the seed is ignored)."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.6"]


def minibatch_indices(n, batch_size, seed):
    order = np.arange(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
