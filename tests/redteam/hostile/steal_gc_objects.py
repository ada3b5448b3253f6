"""Stealing: searches the garbage collector for an array shaped like the answer and returns it."""
CATEGORY = "steal"
MODULE = "activations"
LOSES = ["1.3"]

import gc as _gc


def sigmoid_forward(x):
    x = np.asarray(x, dtype=np.float64)
    for obj in _gc.get_objects():
        if isinstance(obj, np.ndarray) and obj is not x and obj.shape == x.shape and obj.dtype == np.float64:
            if not np.array_equal(obj, x) and np.all((obj > 0) & (obj < 1)):
                return obj.copy()
    return np.zeros_like(x)
