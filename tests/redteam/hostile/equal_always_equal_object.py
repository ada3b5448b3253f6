"""Wrong values that compare equal: an object whose == is always True (and that mimics an array)."""
CATEGORY = "equal"
MODULE = "activations"
LOSES = ["1.3"]


class _Liar:
    def __init__(self, shape):
        self.shape = shape
        self.dtype = np.dtype(np.float64)
        self.ndim = len(shape)
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __array__(self, *a, **k):
        raise TypeError("no")
    def __float__(self):
        return 0.0
    __hash__ = object.__hash__


def sigmoid_forward(x):
    return _Liar(np.shape(x))
