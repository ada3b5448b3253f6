"""Exact comparisons of a returned value with the expected one (trusted side).

No broadcasting, no silent conversions: the type, shape and dtype must be
what the API promises, every entry finite where the expected one is, and
values equal within tolerances a correct float64 implementation always
meets (``|a − e| ≤ atol · max(1, max|e|) + rtol · |e|``). Each check returns
``None`` when the value is right, else a one-line reason.

Arrays go through the one comparator, ``diagnose.compare_array`` (the same
rules and hints as every gradient check); a tuple of arrays through
``diagnose.diagnose_outputs`` (which also recognises swapped outputs).
Reasons state spec-level facts (shapes, counts, errors and indices), never
the expected values of a hidden case.
"""

from __future__ import annotations

import numbers

import numpy as np

from autograder.grading.diagnose import ATOL, RTOL, compare_array, diagnose_outputs
from autograder.worker.protocol import Rejected, quote


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


def check_array(value, expected: np.ndarray, name: str, *, rtol: float = RTOL, atol: float = ATOL,
                batch: int | None = None, kinks: np.ndarray | None = None) -> str | None:
    """``value`` must be a plain ndarray with ``expected``'s shape and dtype family, and close to it.

    ``batch`` (the batch size N) and ``kinks`` (bool array, True at kink inputs) sharpen the
    diagnosis; see ``diagnose.compare_array``.
    """
    d = compare_array(value, expected, name, kinks=kinks, batch=batch, rtol=rtol, atol=atol)
    return None if d.ok else d.message


def check_outputs(value, expected: tuple, names, *, rtol: float = RTOL, atol: float = ATOL,
                  batch: int | None = None, kinks: dict | None = None) -> list[str | None]:
    """Per output of a function returning a tuple of arrays: None (right) or the reason.

    Inputs: value: what came back; expected: tuple of arrays; names: one per output
    ("dx", "dy"); batch, kinks (name -> bool array) as in ``check_array``.
    Swapped outputs are named as such ("dx and dy swapped?").
    """
    if not all(isinstance(e, np.ndarray) for e in expected):
        raise TypeError("check_outputs: every expected output must be an array (use check_value for mixed tuples)")
    found = diagnose_outputs(value, tuple(expected), tuple(names), kinks=kinks, batch=batch, rtol=rtol, atol=atol)
    return [None if d.ok else d.message for d in found]


def _is_real(value) -> bool:
    return (isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))) or (
        type(value) is np.ndarray and value.ndim == 0 and value.dtype.kind in "iuf"
    )


def check_scalar(value, expected, name: str, *, rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """A number: Python or numpy scalar (or a 0-d array); integers when ``expected`` is an integer.

    One number is too little evidence for a hint (a factor or a sign fits any
    single pair), so a wrong value is reported with its relative error only.
    """
    integer = isinstance(expected, (int, np.integer)) and not isinstance(expected, bool)
    if integer:
        if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
            return f"{name}: expected an int, got {describe(value)}" + (f" ({value!r})" if _is_real(value) else "")
        if int(value) == int(expected):
            return None
        return f"{name}: {int(value)} is wrong" + (" (off by one)" if abs(int(value) - int(expected)) == 1 else "")
    if not _is_real(value):
        return f"{name}: expected a number, got {describe(value)}"
    v, e = float(value), float(expected)
    if not np.isfinite(v) and np.isfinite(e):
        return f"{name}: {v} where the answer is finite — likely not numerically stable (an overflow in exp?)"
    if abs(v - e) <= atol * max(1.0, abs(e)) + rtol * abs(e) or v == e:
        return None
    rel = abs(v - e) / max(1e-300, abs(v) + abs(e))
    return f"{name}: {v:.8g} is wrong (relative error {rel:.2g})"


def check_value(value, expected, name: str, *, rtol: float = RTOL, atol: float = ATOL,
                batch: int | None = None) -> str | None:
    """Dispatch on the expected value: array, number, tuple/list (element-wise) or dict (keys, then values).

    Returns None when ``value`` is right, else the first reason; ``batch`` (the
    batch size N, if the call has one) lets array hints name a missing 1/N.
    """
    kw = dict(rtol=rtol, atol=atol, batch=batch)
    if isinstance(expected, np.ndarray):
        return check_array(value, expected, name, **kw)
    if isinstance(expected, (numbers.Number, np.generic)):
        return check_scalar(value, expected, name, rtol=rtol, atol=atol)
    if isinstance(expected, (tuple, list)):
        if type(value) not in (tuple, list):
            return f"{name}: expected a tuple of {len(expected)} values, got {describe(value)}"
        if len(value) != len(expected):
            return f"{name}: expected {len(expected)} values, got {len(value)}"
        if len(expected) > 1 and all(isinstance(e, np.ndarray) for e in expected):
            names = [f"{name}[{i}]" for i in range(len(expected))]
            return next((r for r in check_outputs(value, tuple(expected), names, **kw) if r), None)
        for i, (v, e) in enumerate(zip(value, expected)):
            reason = check_value(v, e, f"{name}[{i}]", **kw)
            if reason:
                return reason
        return None
    if isinstance(expected, dict):
        if type(value) is not dict:
            return f"{name}: expected a dict with keys {sorted(expected)}, got {describe(value)}"
        if set(value) != set(expected):
            return f"{name}: keys {quote(sorted(map(str, value)))}, expected {sorted(map(str, expected))}"
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
        return f"{name}: keys {quote(sorted(map(str, value)))}, expected {sorted(shapes)}"
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
