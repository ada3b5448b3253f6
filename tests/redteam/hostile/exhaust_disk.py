"""Exhausting resources: fills /tmp, /dev/shm and its own directory with files."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os


def sigmoid_forward(x):
    block = b"x" * (1 << 20)
    for place in ("/tmp", "/dev/shm", "."):
        for i in range(20):
            try:
                with open(_os.path.join(place, "@@MARK@@-%d" % i), "wb") as f:
                    for _ in range(2):
                        f.write(block)
            except OSError:
                break
    return np.zeros_like(np.asarray(x, dtype=np.float64))
