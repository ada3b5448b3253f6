"""Wrong values that compare equal: a float subclass whose == is True, returned by a scalar function."""
CATEGORY = "equal"
MODULE = "jacobians"
LOSES = ["1.5"]


class _F(float):
    def __eq__(self, other):
        return True
    def __sub__(self, other):
        return 0.0
    def __rsub__(self, other):
        return 0.0
    def __abs__(self):
        return 0.0
    __hash__ = float.__hash__


def linear_l2_forward(W, x):
    return _F(-1.0)
