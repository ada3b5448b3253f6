"""Exhausting resources: allocates and touches memory until something gives."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]


def sigmoid_forward(x):
    hoard = []
    while True:
        block = bytearray(64 << 20)
        block[::4096] = b"x" * len(block[::4096])
        hoard.append(block)
