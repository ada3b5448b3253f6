"""Exact comparisons of a returned value with the expected one (trusted side).

No broadcasting, no silent conversions: the type, shape and dtype must be
what the API promises, every entry finite where the expected one is, and
values equal within tolerances a correct float64 implementation always
meets (``|a − e| ≤ atol · max(1, max|e|) + rtol · |e|``). Each check returns
``None`` when the value is right, else a one-line reason.
"""

from __future__ import annotations

import numbers

import numpy as np

from autograder.grading.diagnose import ATOL, RTOL, close_mask, constant_factor, name_factor
from autograder.grading.protocol import Rejected


class CheckFailed(Exception):
    """A check of one part of a test failed; ``str()`` is the reason shown to the student."""


def describe(value) -> str:
    """A short description of what came back, for messages."""
    if isinstance(value, Rejected):
        return value.what
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy {value.dtype} scalar"
    if value is None:
        return "None (a missing return?)"
    return f"a {type(value).__name__}"


def _fmt(idx) -> str:
    return "(" + ", ".join(str(int(i)) for i in idx) + ("," if len(idx) == 1 else "") + ")"


def check_array(value, expected: np.ndarray, name: str, *, rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """``value`` must be a plain ndarray with ``expected``'s shape and dtype family, and close to it."""
    if type(value) is not np.ndarray:
        return f"{name}: expected a numpy array of shape {expected.shape}, got {describe(value)}"
    if value.shape != expected.shape:
        hint = " (transposed?)" if expected.ndim == 2 and value.shape == expected.T.shape else ""
        return f"{name}: shape {value.shape}, expected {expected.shape}{hint}"
    kind = expected.dtype.kind
    if kind == "f" and value.dtype != np.float64:
        return f"{name}: dtype {value.dtype}, expected float64"
    if kind in "iu" and value.dtype.kind not in "iu":
        return f"{name}: dtype {value.dtype}, expected an integer dtype"
    if kind == "b" and value.dtype != np.bool_:
        return f"{name}: dtype {value.dtype}, expected bool"
    if kind in "biu":
        if not np.array_equal(value, expected):
            bad = tuple(np.argwhere(value != expected)[0])
            return f"{name}: wrong at index {_fmt(bad)}: yours {value[bad]}, expected {expected[bad]}"
        return None
    finite = np.isfinite(expected)
    if np.any(finite & ~np.isfinite(value)):
        bad = tuple(np.argwhere(finite & ~np.isfinite(value))[0])
        return f"{name}: contains {value[bad]} at index {_fmt(bad)} (expected {expected[bad]:.6g}): not numerically stable?"
    ok = close_mask(np.where(finite, value, 0.0), np.where(finite, expected, 0.0), rtol, atol)
    ok &= np.where(finite, True, value == expected)
    if not np.all(ok):
        err = np.where(ok, 0.0, np.abs(np.where(finite, value - expected, np.inf)))
        bad = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape)) if err.ndim else ()
        text = (f"{name}: {int((~ok).sum())} of {ok.size} entries wrong; worst at index {_fmt(bad)}: "
                f"yours {value[bad]:.6g}, expected {expected[bad]:.6g}")
        if np.all(finite):
            c = constant_factor(value.astype(np.float64), expected.astype(np.float64))
            if c is not None:
                text += f" — likely {name_factor(c, value.shape[0] if value.ndim else None)}"
            elif value.ndim == 2 and value.shape[0] == value.shape[1] and np.all(close_mask(value, expected.T, rtol, atol)):
                text += " — likely transposed"
        return text
    return None


def _is_real(value) -> bool:
    return (isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))) or (
        type(value) is np.ndarray and value.ndim == 0 and value.dtype.kind in "iuf"
    )


def check_scalar(value, expected, name: str, *, rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """A number: Python or numpy scalar (or a 0-d array); integers when ``expected`` is an integer."""
    integer = isinstance(expected, (int, np.integer)) and not isinstance(expected, bool)
    if integer:
        if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
            return f"{name}: expected an int, got {describe(value)}" + (f" ({value!r})" if _is_real(value) else "")
        return None if int(value) == int(expected) else f"{name}: {int(value)}, expected {int(expected)}"
    if not _is_real(value):
        return f"{name}: expected a number, got {describe(value)}"
    v, e = float(value), float(expected)
    if not np.isfinite(v) and np.isfinite(e):
        return f"{name}: {v}, expected {e:.6g}: not numerically stable?"
    if abs(v - e) <= atol * max(1.0, abs(e)) + rtol * abs(e) or v == e:
        return None
    hint = ""
    if e != 0 and np.isfinite(v):
        ratio = v / e
        for r in (ratio, 1.0 / ratio if ratio else 0.0):
            if abs(r) >= 2 and abs(r - round(r)) < 1e-6 * abs(r):
                hint = f" — off by a factor ×{ratio:.4g} (a sum instead of a mean, or a factor 2?)"
        if abs(ratio + 1) < 1e-6:
            hint = " — wrong sign"
    return f"{name}: {v:.8g}, expected {e:.8g}{hint}"


def check_value(value, expected, name: str, *, rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """Dispatch on the expected value: array, number, tuple/list (element-wise) or dict (keys, then values)."""
    kw = dict(rtol=rtol, atol=atol)
    if isinstance(expected, np.ndarray):
        return check_array(value, expected, name, **kw)
    if isinstance(expected, (numbers.Number, np.generic)):
        return check_scalar(value, expected, name, **kw)
    if isinstance(expected, (tuple, list)):
        if type(value) not in (tuple, list):
            return f"{name}: expected a tuple of {len(expected)} values, got {describe(value)}"
        if len(value) != len(expected):
            return f"{name}: expected {len(expected)} values, got {len(value)}"
        for i, (v, e) in enumerate(zip(value, expected)):
            reason = check_value(v, e, f"{name}[{i}]", **kw)
            if reason:
                return reason
        return None
    if isinstance(expected, dict):
        if type(value) is not dict:
            return f"{name}: expected a dict with keys {sorted(expected)}, got {describe(value)}"
        if set(value) != set(expected):
            return f"{name}: keys {sorted(value)}, expected {sorted(expected)}"
        for k in expected:
            reason = check_value(value[k], expected[k], f"{name}[{k!r}]", **kw)
            if reason:
                return reason
        return None
    raise TypeError(f"check_value: unsupported expected type {type(expected).__name__}")


def check_param_dict(value, shapes: dict, name: str = "params") -> str | None:
    """Trained parameters the grader will run through the reference: exactly the keys of
    ``shapes``, each a plain (not subclassed) finite float64 ndarray of exactly that shape.

    Used where accuracy is computed on the trusted side (real-data questions), so that
    what the student's code returns can only be numbers, never a way to answer itself.
    """
    if type(value) is not dict:
        return f"{name}: expected a dict with keys {sorted(shapes)}, got {describe(value)}"
    if set(value) != set(shapes):
        return f"{name}: keys {sorted(map(str, value))}, expected {sorted(shapes)}"
    for key in sorted(shapes):
        arr, want = value[key], tuple(shapes[key])
        if type(arr) is not np.ndarray:
            return f"{name}[{key!r}]: expected a numpy array of shape {want}, got {describe(arr)}"
        if arr.shape != want:
            return f"{name}[{key!r}]: shape {arr.shape}, expected {want}"
        if arr.dtype != np.float64:
            return f"{name}[{key!r}]: dtype {arr.dtype}, expected float64"
        if not np.all(np.isfinite(arr)):
            return f"{name}[{key!r}]: contains NaN or inf (did training diverge?)"
    return None
