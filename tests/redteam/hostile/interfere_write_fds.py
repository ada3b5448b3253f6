"""Interfering: writes garbage (a huge bogus frame length, then junk) to every open descriptor."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os


def sigmoid_forward(x):
    for fd in range(0, 64):
        try:
            _os.write(fd, b"\x7f\xff\xff\xff" + b"garbage" * 1000)
        except OSError:
            pass
    return np.zeros_like(np.asarray(x, dtype=np.float64))
