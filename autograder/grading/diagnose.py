"""The one array comparator: is a returned array right, and if not, what is likely wrong.

``compare_array`` judges one array against the expected one: type, shape,
dtype, finiteness, then values within ``atol · max(1, max|e|) + rtol · |e|``.
On a mismatch it says how many entries are wrong, the largest error and its
index, and — only where the evidence is conclusive — the likely mistake:

- a constant factor (×2, ×0.5, wrong sign, ×N or 1/N of the batch size),
  claimed only when the same ratio holds on at least ``MIN_EVIDENCE``
  entries, and never ×1;
- transposed, a flipped kernel;
- wrong only at kinks (input exactly 0, or tied), when enough entries away
  from the kinks are right;
- all zeros.

An input too small to tell (hypothesis shrinking to one element, say) gets
no hint: a diagnosis is right or silent. ``diagnose_outputs`` judges the
whole tuple a function returns, so that swapped outputs ("dx and dy
swapped?") are recognised. Messages state spec-level facts (shapes, counts,
errors, indices) and never print expected values: feedback must not reveal
a hidden test's answer.

``directional_check`` compares a gradient with central differences of a
function along a few random signed directions: one cheap check for inputs
too large for an entry-by-entry numeric gradient.

``KINDS`` / ``kind_of`` name the kind of each hint (factor, sign, transposed,
batch size, kink, ...) so that the class report can group them.

Pure numpy, Python 3.10. Shipped to students inside ``nnkit_check/`` (next
to a copy of ``gradcheck.py``), so it imports nothing else of the grader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

try:  # in the repository and in autograder.zip
    from autograder.gradcheck import rel_error
except ImportError:  # pragma: no cover - inside the student release's nnkit_check/ package
    from .gradcheck import rel_error

RTOL = 1e-6
ATOL = 1e-8
# a pattern (factor, sign, transposed, kinks, zeros, swap) is claimed only when it is seen on at
# least this many entries: one or two entries fit almost any explanation
MIN_EVIDENCE = 4
NAMED_EVIDENCE = 2  # distinct entries enough for a factor with a name (sign, ×2, ×0.5, ×N, ×1/N)
FACTOR_TOL = 1e-6  # relative spread of the ratios that still counts as "one constant factor"


@dataclass
class Diagnosis:
    """The verdict on one array.

    - name: what it is called in messages ("dx", "dW", ...); ok: whether it is right
    - message: the one line shown to the student (no expected values in it)
    - likely: the likely mistake, or None; kind: its kind (one of ``KINDS``), or None
    - rel_error: CS231n relative error (when shapes agree); worst_index: index of the largest error
    - yours, expected: the two values at ``worst_index`` (for the caller, never put in ``message``)
    """

    name: str
    ok: bool
    message: str
    likely: str | None = None
    rel_error: float | None = None
    worst_index: tuple | None = None
    yours: float | None = None
    expected: float | None = None
    kind: str | None = None


def close_mask(actual: np.ndarray, expected: np.ndarray, rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """Entrywise agreement (bool array of the common shape); ``atol`` scales with the largest expected magnitude (≥ 1)."""
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    return np.abs(actual - expected) <= atol * scale + rtol * np.abs(expected)


def fmt_index(idx: tuple) -> str:
    """``(1, 2)``, ``(3,)`` or ``()`` for an index tuple."""
    return "(" + ", ".join(str(int(i)) for i in idx) + ("," if len(idx) == 1 else "") + ")"


# -- constant factors ---------------------------------------------------------


def constant_factor(a: np.ndarray, e: np.ndarray) -> float | None:
    """c with a = c·e on every entry, when enough distinct entries show it; else None.

    Inputs: a, e: float arrays of one shape. Entries where e is negligible
    (below 1e-3 of its largest magnitude) carry no ratio but must have a
    negligible ``a`` too. Returns None for c ≈ 1 (that is not a factor, it is
    a near miss) and when the ratios disagree. The evidence is the number of
    distinct |e| values among the informative entries (shrunk inputs repeat
    one value): ``NAMED_EVIDENCE`` for the factors ``name_factor`` names, else ``MIN_EVIDENCE``.
    """
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    if scale == 0.0:
        return None
    informative = np.abs(e) > 1e-3 * scale
    if _distinct(e) < NAMED_EVIDENCE:
        return None
    ratios = a[informative] / e[informative]
    c = float(np.median(ratios))
    if c == 0.0 or abs(c - 1.0) <= 1e-3:
        return None
    if np.max(np.abs(ratios - c)) > FACTOR_TOL * abs(c):
        return None
    if np.any(np.abs(a[~informative]) > 1e-3 * scale * max(1.0, abs(c))):
        return None
    return c


def _named_values(batch: int | None) -> list[float]:
    """The factors with a name: ±1 (sign), ±2, ±0.5, and ±N, ±1/N of the batch size."""
    values = [-1.0, 2.0, 0.5, -2.0, -0.5]
    if batch and batch > 1:
        values += [float(batch), 1.0 / batch, -float(batch), -1.0 / batch]
    return values


def _distinct(e: np.ndarray) -> int:
    """How many distinct non-negligible magnitudes ``e`` has (the evidence a pattern rests on)."""
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    if scale == 0.0:
        return 0
    mags = np.abs(e[np.abs(e) > 1e-3 * scale]) / scale
    return len(np.unique(np.round(mags, 9)))


def _near(c: float, value: float) -> bool:
    return abs(c - value) <= 1e-4 * abs(value)


def name_factor(c: float, batch: int | None) -> tuple[str, str]:
    """(kind, text) naming the factor c (yours = c · expected); ``batch`` is the batch size N if known.

    N = 2 makes ×2 and ×0.5 ambiguous (a factor 2, or the batch size): both are named.
    """
    n = batch if batch and batch > 1 else None
    if _near(c, -1.0):
        return "sign", "wrong sign (the gradient of −L?)"
    if n == 2 and _near(abs(c), 2.0):
        sign = "wrong sign and " if c < 0 else ""
        return "batch size", (f"{sign}×{c:g}: twice too large — not divided by the batch size N = 2, "
                              "or a factor 2 counted twice?")
    if n == 2 and _near(abs(c), 0.5):
        sign = "wrong sign and " if c < 0 else ""
        return "batch size", (f"{sign}×{c:g}: half the right size — divided by the batch size N = 2 once "
                              "too often, or a factor 2 missing?")
    if n and _near(c, float(n)):
        return "batch size", f"×{n}: N = {n} times too large: forgot to divide by the batch size"
    if n and _near(c, 1.0 / n):
        return "batch size", f"×1/{n}: N = {n} times too small: divided by the batch size once too often"
    if n and _near(c, -float(n)):
        return "sign", f"wrong sign and ×{n}: the gradient of −L, not divided by the batch size N = {n}?"
    if n and _near(c, -1.0 / n):
        return "sign", f"wrong sign and ×1/{n}: the gradient of −L, divided by the batch size N = {n} once too often?"
    named = {2.0: "twice too large (×2: a factor counted twice?)",
             0.5: "half the right size (×0.5: a factor 2 missing?)",
             -2.0: "wrong sign and twice too large (×−2)",
             -0.5: "wrong sign and half the size (×−0.5)"}
    for value, text in named.items():
        if _near(c, value):
            return ("sign" if value < 0 else "factor"), text
    return ("sign" if c < 0 else "factor"), f"off by a constant factor ×{c:.4g}"


# -- the comparator -----------------------------------------------------------


def _shape_hint(got: tuple, want: tuple) -> str:
    if len(want) == 2 and got == want[::-1]:
        return "transposed"
    if len(got) == len(want) + 1 and got[0] == 1 and got[1:] == want:
        return "an extra leading axis of length 1 (keepdims=True?)"
    if len(want) >= 1 and got == want[1:]:
        return "summed over the batch (axis 0) where it should not be"
    if len(got) == 0 or got == (1,):
        return "a scalar where an array is expected (summed everything?)"
    if int(np.prod(got)) == int(np.prod(want)):
        return "right entries count, wrong shape (a reshape or a missing axis?)"
    return "wrong shape"


def _fail(name: str, message: str, likely: str | None = None, kind: str | None = None, **extra) -> Diagnosis:
    if likely:
        message += f" — likely {likely}"
    return Diagnosis(name, False, message, likely, kind=kind, **extra)


def compare_array(
    value,
    expected: np.ndarray,
    name: str = "dx",
    *,
    kinks: np.ndarray | None = None,
    batch: int | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> Diagnosis:
    """Compare ``value`` (what came back) with ``expected`` and explain a mismatch.

    Inputs:
    - value: the array to judge (anything: a wrong type is reported; an object
      with a ``what`` attribute, like the protocol's ``Rejected``, is named by it).
    - expected: array of any shape, the right answer. Float → ``value`` must be
      float64; integer → an integer dtype, compared exactly; bool → bool.
    - name: what to call it in the message ("dx", "dW", ...).
    - kinks: optional bool array shaped like ``expected``, True where the
      forward input sits at a kink (exactly 0, or tied): a mismatch only there
      is reported as such.
    - batch: the batch size N, to recognise a missing or extra 1/N.

    Returns a ``Diagnosis``; ``ok`` is True when the type, shape and dtype are
    right and every entry agrees within ``atol · max(1, max|expected|) + rtol · |expected|``
    (non-finite expected entries must be matched exactly).
    """
    expected = np.asarray(expected)
    if expected.dtype.kind not in "biuf":
        expected = expected.astype(np.float64)
    if type(value) is not np.ndarray:
        return _fail(name, *_not_an_array(value, expected, name))
    if value.shape != expected.shape:
        hint = _shape_hint(value.shape, expected.shape)
        return _fail(name, f"{name}: shape {value.shape}, expected {expected.shape}", hint,
                     "transposed" if hint == "transposed" else "shape")
    dtype_problem = _dtype_problem(value, expected)
    if dtype_problem:
        return _fail(name, f"{name}: dtype {value.dtype}, expected {dtype_problem}", kind="dtype")
    if expected.dtype.kind in "biu":
        wrong = value != expected
        if np.any(wrong):
            first = tuple(int(i) for i in np.argwhere(wrong)[0])
            return _fail(name, f"{name}: {int(wrong.sum())} of {wrong.size} entries wrong, first at index "
                         f"{fmt_index(first)}", worst_index=first)
        return Diagnosis(name, True, f"{name}: ok", rel_error=0.0)
    a, e = value.astype(np.float64), expected.astype(np.float64)
    finite = np.isfinite(e)
    blown = finite & ~np.isfinite(a)
    if np.any(blown):
        first = tuple(int(i) for i in np.argwhere(blown)[0])
        return _fail(name, f"{name}: contains {_nonfinite(a[first])} at index {fmt_index(first)} where the answer is "
                     "finite", "not numerically stable (an overflow in exp? a division by 0?)", "not finite",
                     worst_index=first)
    close = close_mask(np.where(finite, a, 0.0), np.where(finite, e, 0.0), rtol, atol)
    close &= np.where(finite, True, a == e)
    if np.all(close):
        return Diagnosis(name, True, f"{name}: ok", rel_error=rel_error(np.where(finite, a, 0), np.where(finite, e, 0)))
    err = np.where(close, 0.0, np.where(finite, np.abs(a - e), np.inf))
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape)) if err.ndim else ()
    n_wrong = int((~close).sum())
    rel = rel_error(np.where(finite, a, 0.0), np.where(finite, e, 0.0))
    size = f"{err[worst]:.2g}" if np.isfinite(err[worst]) else "a non-finite value"
    message = (f"{name}: {n_wrong} of {close.size} entries wrong (relative error {rel:.2g}); "
               f"largest error {size} at index {fmt_index(worst)}")
    kind_text = _likely(a, e, close, kinks, batch, rtol, atol) if np.all(finite) else None
    kind, likely = kind_text or (None, None)
    return _fail(name, message, likely, kind, rel_error=rel, worst_index=worst,
                 yours=float(a[worst]), expected=float(e[worst]))


def _nonfinite(x: float) -> str:
    return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")


def _not_an_array(value, expected: np.ndarray, name: str) -> tuple[str, str | None, str]:
    """(message, likely, kind) for a value that is not a plain ndarray."""
    if isinstance(value, (np.generic, float, int)) and not isinstance(value, (bool, np.bool_)) and expected.ndim:
        return (f"{name}: got a scalar, expected an array of shape {expected.shape}",
                "a scalar where an array is expected (summed everything?)", "shape")
    what = getattr(value, "what", None)
    if isinstance(what, str):
        kind = what
    elif value is None:
        kind = "None (a missing return?)"
    elif isinstance(value, np.ndarray):
        kind = f"an ndarray subclass {type(value).__name__}"
    else:
        kind = f"a {type(value).__name__}"
    return f"{name}: expected a numpy array of shape {expected.shape}, got {kind}", None, "type"


def _dtype_problem(value: np.ndarray, expected: np.ndarray) -> str | None:
    """What dtype was expected, when ``value``'s is wrong; None when it is fine."""
    kind = expected.dtype.kind
    if kind == "f" and value.dtype != np.float64:
        return "float64"
    if kind in "iu" and value.dtype.kind not in "iu":
        return "an integer dtype"
    if kind == "b" and value.dtype != np.bool_:
        return "bool"
    return None


def _likely(a, e, close, kinks, batch, rtol, atol) -> tuple[str, str] | None:
    """(kind, text) of the likely mistake behind a mismatch of finite a and e; None when inconclusive."""
    if not np.any(a) and np.count_nonzero(e) >= MIN_EVIDENCE:
        return "zeros", "all zeros: nothing computed or nothing flows back (not assigned or not returned?)"
    c = constant_factor(a, e)
    if c is not None and (_distinct(e) >= MIN_EVIDENCE or any(_near(c, v) for v in _named_values(batch))):
        return name_factor(c, batch)
    if (a.ndim == 2 and a.shape[0] == a.shape[1] and a.size >= MIN_EVIDENCE
            and np.all(close_mask(a, e.T, rtol, atol))):
        return "transposed", "transposed"
    if (a.ndim >= 2 and a.shape[-1] > 1 and a.shape[-2] > 1 and a.size >= MIN_EVIDENCE
            and np.all(close_mask(a, e[..., ::-1, ::-1], rtol, atol))):
        return "flipped kernel", "flipped kernel (true convolution instead of cross-correlation, or the reverse)"
    wrong = ~close
    if kinks is not None and np.shape(kinks) == a.shape:
        kinks = np.asarray(kinks, bool)
        if np.any(kinks) and not np.any(wrong & ~kinks) and int((~kinks).sum()) >= MIN_EVIDENCE:
            return "kink", ("wrong only at kinks (where the input is exactly 0 or tied): check the "
                            "strict/non-strict comparison")
    return None


# -- tuples of outputs ---------------------------------------------------------


def diagnose_outputs(
    values,
    expected: tuple,
    names: tuple[str, ...],
    *,
    kinks: dict | None = None,
    batch: int | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> list[Diagnosis]:
    """One ``Diagnosis`` per output of a function that returns a tuple of arrays (dx, dy, ...).

    Inputs:
    - values: what came back (a tuple or list, one per name; anything else is reported on every name)
    - expected: the right outputs, arrays (an entry that is not an array is skipped: ``None`` in the result)
    - names: their names, as in the API ("dx", "dy")
    - kinks: optional name -> bool array of kink positions; batch: the batch size N

    On top of ``compare_array`` per output, it recognises outputs returned in the
    wrong slots: "dx and dy swapped?" when each is the other's answer, "your dx is
    what dy should be" when one is.
    """
    kinks = kinks or {}
    if type(values) not in (tuple, list) or len(values) != len(names):
        what = f"{len(values)} values" if type(values) in (tuple, list) else _describe(values)
        message = f"expected a tuple ({', '.join(names)}), got {what}"
        return [None if not isinstance(want, np.ndarray) else Diagnosis(n, False, message, kind="type")
                for want, n in zip(expected, names)]
    out = [compare_array(v, want, n, kinks=kinks.get(n), batch=batch, rtol=rtol, atol=atol)
           if isinstance(want, np.ndarray) else None for v, want, n in zip(values, expected, names)]
    for i, d in enumerate(out):
        if d is None or d.ok:
            continue
        j = _slot_taken(values[i], i, expected, rtol, atol)
        if j is None:
            continue
        if _slot_taken(values[j], j, expected, rtol, atol) == i:
            likely = f"{names[i]} and {names[j]} swapped? (your {names[i]} is what {names[j]} should be, and the reverse)"
        else:
            likely = f"your {names[i]} is what {names[j]} should be (the wrong gradient returned?)"
        base = d.message.split(" — likely ")[0]
        out[i] = Diagnosis(d.name, False, f"{base} — likely {likely}", likely, d.rel_error, d.worst_index,
                           d.yours, d.expected, kind="swapped")
    return out


def _slot_taken(value, i: int, expected: tuple, rtol: float, atol: float) -> int | None:
    """The index j ≠ i of the expected output that ``value`` equals (on enough entries to tell), if any."""
    if type(value) is not np.ndarray or value.dtype.kind != "f":
        return None
    for j, want in enumerate(expected):
        if j == i or not isinstance(want, np.ndarray) or want.shape != value.shape:
            continue
        want = want.astype(np.float64)
        if isinstance(expected[i], np.ndarray) and expected[i].shape == want.shape and np.all(
                close_mask(expected[i].astype(np.float64), want, rtol, atol)):
            continue  # the two answers coincide: no way to tell a swap
        if np.count_nonzero(want) >= MIN_EVIDENCE and np.all(close_mask(value.astype(np.float64), want, rtol, atol)):
            return j
    return None


def _describe(value) -> str:
    what = getattr(value, "what", None)
    if isinstance(what, str):
        return what
    if value is None:
        return "None (a missing return?)"
    return f"a {type(value).__name__}"


def diagnose_gradient(analytic, expected: np.ndarray, name: str = "dx", *, kinks: np.ndarray | None = None,
                      batch: int | None = None, rtol: float = RTOL, atol: float = ATOL) -> Diagnosis:
    """``compare_array`` under its historical name (the student check tool and older tests use it)."""
    return compare_array(analytic, expected, name, kinks=kinks, batch=batch, rtol=rtol, atol=atol)


def infer_batch(*args) -> int | None:
    """The batch size N of a backward or loss call: the length of the first ≥ 2-D array argument's axis 0.

    Inputs: the call's positional arguments (``dout, x, W, b`` or ``scores, y``).
    Returns N, or None when no argument is a ≥ 2-D array. Not meaningful for
    update rules (their arrays are parameters, not batches): do not pass it there.
    """
    for arg in args:
        if isinstance(arg, np.ndarray) and arg.ndim >= 2:
            return int(arg.shape[0])
    return None


# -- kinds, for the class report ------------------------------------------------

KINDS = ("factor", "sign", "transposed", "batch size", "kink", "swapped", "flipped kernel", "zeros",
         "not finite", "shape", "dtype", "type", "wrong values", "not implemented", "crash", "timeout", "other")

# a diagnosis or failure text -> its kind; first match wins (so "wrong sign and ×N" is a sign)
_I = re.IGNORECASE
_KIND_PATTERNS = [
    ("swapped", re.compile(r"\bswapped\b|is what \w+ should be", _I)),
    ("sign", re.compile(r"wrong sign", _I)),
    ("batch size", re.compile(r"batch size", _I)),
    ("factor", re.compile(r"constant factor|twice too large|half the right size|\bfactor\b", _I)),
    ("transposed", re.compile(r"transposed", _I)),
    ("flipped kernel", re.compile(r"flipped kernel", _I)),
    ("kink", re.compile(r"\bkinks?\b|\bties\b|\btied\b", _I)),
    ("zeros", re.compile(r"all zeros", _I)),
    ("not finite", re.compile(r"not numerically stable|\bNaN\b|\binf\b|not finite", _I)),
    ("not implemented", re.compile(r"NotImplementedError|not implemented", _I)),
    ("timeout", re.compile(r"did not finish in time|time limit|timed out|timeout", _I)),
    ("crash", re.compile(r"\braised\b|\braises\b|could not be (?:imported|loaded)|does not import"
                         r"|\b[A-Z]\w*(?:Error|Exception)\b")),
    ("type", re.compile(r"expected a (?:numpy array|tuple|dict|number)|expected an int|\bgot None\b", _I)),
    ("shape", re.compile(r"\bshape\b|\baxis\b|keepdims|a scalar where", _I)),
    ("dtype", re.compile(r"\bdtype\b", _I)),
    ("wrong values", re.compile(r"entries wrong|wrong values|relative error", _I)),
]


def kind_of(text: str) -> str:
    """The kind (one of ``KINDS``) of a diagnosis or failure text; "other" when none fits."""
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return "other"


def directional_check(f, x: np.ndarray, grad: np.ndarray, dout=None, *, n_dirs: int = 4,
                      h: float = 1e-5, seed: int = 0, tol: float = 1e-5) -> Diagnosis:
    """Check ``grad`` = dL/dx, ``L(x) = sum(f(x) · dout)``, along random ±1 directions.

    Inputs: f: function of one array shaped like x; x: the point; grad: the
    gradient to check, shaped like x; dout: upstream gradient shaped like f(x)
    (None means 1); n_dirs directions drawn with ``seed``; step h; tolerance tol.

    For each direction v: numeric ``(L(x + h v) − L(x − h v)) / 2h`` against
    analytic ``Σ grad · v``. Signed directions (not all-positive ones) catch
    a flipped kernel or a sign error confined to part of the input.
    Returns a ``Diagnosis`` named "directional check" (its message gives the
    relative error only: the numeric derivative is the test's answer).
    """
    x = np.array(x, dtype=np.float64)
    grad = np.asarray(grad, dtype=np.float64)
    weight = 1.0 if dout is None else np.asarray(dout, dtype=np.float64)
    rng = np.random.default_rng(seed)
    worst = 0.0
    pair = (0.0, 0.0)
    for _ in range(n_dirs):
        v = rng.choice([-1.0, 1.0], size=x.shape)
        plus = float(np.sum(np.asarray(f(x + h * v), dtype=np.float64) * weight))
        minus = float(np.sum(np.asarray(f(x - h * v), dtype=np.float64) * weight))
        numeric = (plus - minus) / (2 * h)
        analytic = float(np.sum(grad * v))
        err = abs(numeric - analytic) / max(1e-8, abs(numeric) + abs(analytic))
        if err > worst:
            worst, pair = err, (analytic, numeric)
    if worst <= tol:
        return Diagnosis("directional check", True, "directional check: ok", rel_error=worst)
    return Diagnosis("directional check", False,
                     f"directional check along random ±1 directions: relative error {worst:.2g}",
                     rel_error=worst, yours=pair[0], expected=pair[1], kind="wrong values")
