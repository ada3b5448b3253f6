"""Wrong values that compare equal: a broadcastable (1,)-shaped answer that np.allclose would accept against constant rows."""
CATEGORY = "equal"
MODULE = "activations"
LOSES = ["1.3"]


def sigmoid_forward(x):
    x = np.asarray(x, dtype=np.float64)
    return np.array([0.5])   # broadcasts against any shape
