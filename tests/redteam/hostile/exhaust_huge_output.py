"""Exhausting resources: floods stdout and stderr with hundreds of megabytes."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os
import sys as _sys


def sigmoid_forward(x):
    chunk = "flood " * 100000 + "\n"
    for _ in range(500):
        _sys.stdout.write(chunk)
        try:
            _os.write(2, chunk.encode())
        except OSError:
            break
    return np.zeros_like(np.asarray(x, dtype=np.float64))
