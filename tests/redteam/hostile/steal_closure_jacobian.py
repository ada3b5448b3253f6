"""Stealing through a callable: ``numerical_jacobian`` reads ``A`` and ``c`` out of the closure of the
``f`` it receives and returns the exact Jacobian, without a single difference (issue 12, finding 3:
the worker built ``f`` from ``callables.affine``, whose closure held the answer).
"""
CATEGORY = "steal"
MODULE = "jacobians"
LOSES = ["1.4"]


def _closure_arrays(fn, found):
    for cell in getattr(fn, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, np.ndarray):
            found.setdefault(value.ndim, value)
        elif callable(value):
            _closure_arrays(value, found)
    return found


def numerical_jacobian(f, x, h=1e-6):
    found = _closure_arrays(f, {})
    if 2 not in found or 1 not in found:
        raise LookupError("no A and c in the closure of f")
    A, c = found[2], found[1]
    x = np.asarray(x, dtype=np.float64)
    if "tanh" in f.__code__.co_names:
        return A.T * (1.0 - np.tanh(A @ x + c) ** 2)
    return A.T.copy()
