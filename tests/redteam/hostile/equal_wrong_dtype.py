"""Wrong values that compare equal: complex and float32/int results that equal the answer after casting, and inf."""
CATEGORY = "equal"
MODULE = "gates"
LOSES = ["1.1"]


def add_forward(x, y):
    return (np.asarray(x) + np.asarray(y)).astype(np.complex128)


def mul_forward(x, y):
    return np.full(np.shape(x), np.inf)
