"""Wrong values that compare equal: an object-dtype array of always-equal objects."""
CATEGORY = "equal"
MODULE = "activations"
LOSES = ["1.3"]


class _Eq:
    def __eq__(self, other):
        return True
    def __sub__(self, other):
        return 0.0
    __rsub__ = __sub__
    def __abs__(self):
        return 0.0
    def __lt__(self, other):
        return True
    __le__ = __lt__


def sigmoid_forward(x):
    out = np.empty(np.shape(x), dtype=object)
    out.fill(_Eq())
    return out
