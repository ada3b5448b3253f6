"""Interfering: modifies its input arrays in place (right values, wrong contract)."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]


def relu_forward(x):
    np.maximum(x, 0, out=x)
    return x


def relu_backward(dout, x):
    dout[x <= 0] = 0
    return dout
