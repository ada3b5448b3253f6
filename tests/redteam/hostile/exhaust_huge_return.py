"""Exhausting resources: returns a value far over the protocol's caps (and a deeply nested one)."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]


def sigmoid_forward(x):
    return np.zeros((12000, 1000))   # 96 MB


def sigmoid_backward(dout, x):
    value = []
    for _ in range(100000):
        value = [value]
    return value
