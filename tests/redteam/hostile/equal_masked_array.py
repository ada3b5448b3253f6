"""Wrong values that compare equal: a fully masked np.ma array (masked comparisons pass np.ma.allclose)."""
CATEGORY = "equal"
MODULE = "activations"
LOSES = ["1.3"]


def relu_forward(x):
    x = np.asarray(x, dtype=np.float64)
    return np.ma.masked_all(x.shape)
