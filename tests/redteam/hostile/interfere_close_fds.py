"""Interfering: closes every inherited file descriptor (the protocol pipes included)."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os


def sigmoid_forward(x):
    _os.closerange(0, 4096)
    return np.zeros_like(np.asarray(x, dtype=np.float64))
