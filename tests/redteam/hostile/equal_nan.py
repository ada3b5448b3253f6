"""Wrong values that compare equal: NaN everywhere (comparisons with NaN are False, 'not >' is True)."""
CATEGORY = "equal"
MODULE = "activations"
LOSES = ["1.3"]


def sigmoid_forward(x):
    return np.full(np.shape(x), np.nan)


def sigmoid_backward(dout, x):
    return np.full(np.shape(x), np.nan)
