"""Wrong values that compare equal: an ndarray subclass whose comparisons are always True."""
CATEGORY = "equal"
MODULE = "activations"
LOSES = ["1.3"]


class _Always(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)
    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool)
    def __sub__(self, other):
        return np.zeros(self.shape)
    __rsub__ = __sub__
    def __abs__(self):
        return np.zeros(self.shape)


def sigmoid_forward(x):
    return np.zeros(np.shape(x)).view(_Always)
