"""Minibatches from np.random.RandomState(seed).permutation, cut with np.array_split-free slicing."""
import numpy as np

MODULE = "optim"


def minibatch_indices(n, batch_size, seed):
    for name, value in (("n", n), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    order = np.random.RandomState(seed).permutation(n).astype(np.int64)
    batches = []
    start = 0
    while start < n:
        batches.append(order[start : start + batch_size])
        start += batch_size
    return batches
