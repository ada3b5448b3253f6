"""Wrong values that compare equal: empty arrays (np.all of nothing is True)."""
CATEGORY = "equal"
MODULE = "layers"
LOSES = ["1.6"]


def linear_forward(x, W, b):
    return np.empty((0,))


def linear_backward(dout, x, W, b):
    return np.empty((0,)), np.empty((0,)), np.empty((0,))
