"""Gradient checks that explain what is wrong.

Given a gradient that came back (``analytic``) and the one expected (the
reference's analytic gradient, or a numeric one), ``diagnose_gradient``
says whether they agree and, when they do not: the worst entry (index,
both values), the CS231n relative error, and the likely mistake where the
pattern is recognisable — wrong shape or transposed, all zero, wrong sign,
off by a constant factor (×2, ×0.5, ×N, 1/N), transposed, a flipped kernel,
wrong only at kinks (input exactly 0 or tied).

``directional_check`` compares a gradient with central differences of a
function along a few random signed directions: one cheap check for inputs
too large for an entry-by-entry numeric gradient.

Pure numpy, Python 3.10. Shipped to students inside ``nnkit_check/`` (next
to a copy of ``gradcheck.py``), so it imports nothing else of the grader.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

try:  # in the repository and in autograder.zip
    from autograder.gradcheck import rel_error
except ImportError:  # pragma: no cover - inside the student release's nnkit_check/ package
    from .gradcheck import rel_error

RTOL = 1e-6
ATOL = 1e-8


@dataclass
class Diagnosis:
    """The verdict on one gradient; ``message`` is the one line shown to the student."""

    name: str
    ok: bool
    message: str
    likely: str | None = None
    rel_error: float | None = None
    worst_index: tuple | None = None
    yours: float | None = None
    expected: float | None = None


def close_mask(actual: np.ndarray, expected: np.ndarray, rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """Entrywise agreement; ``atol`` scales with the largest expected magnitude (≥ 1)."""
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    return np.abs(actual - expected) <= atol * scale + rtol * np.abs(expected)


def _fmt_index(idx: tuple) -> str:
    return "(" + ", ".join(str(int(i)) for i in idx) + ("," if len(idx) == 1 else "") + ")"


def constant_factor(a: np.ndarray, e: np.ndarray) -> float | None:
    """c such that a ≈ c·e (least squares), when that fits to ~1e-6; else None."""
    ee = float(np.sum(e * e))
    if ee == 0.0:
        return None
    c = float(np.sum(a * e)) / ee
    if np.sqrt(np.sum((a - c * e) ** 2)) <= 1e-6 * max(1e-300, abs(c)) * np.sqrt(ee):
        return c
    return None


def name_factor(c: float, batch: int | None) -> str:
    candidates = [(-1.0, "wrong sign (the gradient of −L?)"),
                  (2.0, "twice too large (×2: a factor counted twice?)"),
                  (0.5, "half the right size (×0.5: a factor 2 missing?)"),
                  (-2.0, "wrong sign and twice too large (×−2)"),
                  (-0.5, "wrong sign and half the size (×−0.5)")]
    if batch and batch > 1:
        candidates += [(float(batch), f"N = {batch} times too large: forgot to divide by the batch size"),
                       (1.0 / batch, f"N = {batch} times too small: divided by the batch size once too often")]
    for value, text in candidates:
        if abs(c - value) <= 1e-4 * abs(value):
            return text
    return f"off by a constant factor ×{c:.4g}"


def diagnose_gradient(
    analytic,
    expected: np.ndarray,
    name: str = "dx",
    *,
    kinks: np.ndarray | None = None,
    batch: int | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> Diagnosis:
    """Compare ``analytic`` (what came back) with ``expected`` and explain a mismatch.

    Inputs:
    - analytic: the gradient to judge (anything: a wrong type is reported).
    - expected: float array, the right gradient.
    - name: what to call it in the message ("dx", "dW", ...).
    - kinks: optional bool array shaped like ``expected``, True where the
      forward input sits at a kink (exactly 0, or tied): a mismatch only there
      is reported as such.
    - batch: the batch size N, to recognise a missing or extra 1/N.

    Returns a ``Diagnosis``; ``ok`` is True when every entry agrees within
    ``atol · max(1, max|expected|) + rtol · |expected|``.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if isinstance(analytic, (np.generic, float, int)) and not isinstance(analytic, bool) and expected.ndim:
        return Diagnosis(name, False, f"{name}: got a scalar, expected an array of shape {expected.shape} — "
                         "likely a scalar where an array is expected (summed everything?)", likely="scalar")
    if not isinstance(analytic, np.ndarray):
        kind = getattr(analytic, "what", None) or f"a {type(analytic).__name__}"
        return Diagnosis(name, False, f"{name}: expected a numpy array of shape {expected.shape}, got {kind}",
                         likely="not an array")
    if analytic.shape != expected.shape:
        if expected.ndim == 2 and analytic.shape == expected.T.shape:
            likely = "transposed"
        elif analytic.size == expected.size:
            likely = "right entries count, wrong shape (a reshape or a missing axis?)"
        elif expected.ndim >= 1 and analytic.shape == expected.shape[1:]:
            likely = "summed over the batch (axis 0) where it should not be"
        elif analytic.ndim == 0 or analytic.shape == (1,):
            likely = "a scalar where an array is expected (summed everything?)"
        else:
            likely = "wrong shape"
        return Diagnosis(name, False, f"{name}: shape {analytic.shape}, expected {expected.shape} — likely {likely}",
                         likely=likely)
    if analytic.dtype.kind not in "biuf":
        return Diagnosis(name, False, f"{name}: dtype {analytic.dtype}, expected float64", likely="wrong dtype")
    a = analytic.astype(np.float64)
    if not np.all(np.isfinite(a)):
        bad = tuple(np.argwhere(~np.isfinite(a))[0])
        return Diagnosis(name, False, f"{name}: contains NaN or inf (first at index {_fmt_index(bad)})",
                         likely="not finite", worst_index=bad)
    close = close_mask(a, expected, rtol, atol)
    if np.all(close):
        return Diagnosis(name, True, f"{name}: ok", rel_error=rel_error(a, expected))
    err = np.abs(a - expected)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape)) if err.ndim else ()
    yours, want = float(a[worst]), float(expected[worst])
    likely = _likely(a, expected, close, kinks, batch, rtol, atol)
    rel = rel_error(a, expected)
    message = (f"{name}: relative error {rel:.2g}; worst entry at index {_fmt_index(worst)}: "
               f"yours {yours:.6g}, expected {want:.6g}")
    if likely:
        message += f" — likely {likely}"
    return Diagnosis(name, False, message, likely, rel, worst, yours, want)


def _likely(a, e, close, kinks, batch, rtol, atol) -> str | None:
    if not np.any(a) and np.any(e):
        return "all zeros: no gradient flows back (not assigned or not returned?)"
    if not np.any(e):
        return "should be all zeros"
    c = constant_factor(a, e)
    if c is not None:
        return name_factor(c, batch)
    if a.ndim == 2 and a.shape[0] == a.shape[1] and np.all(close_mask(a, e.T, rtol, atol)):
        return "transposed"
    if a.ndim >= 2 and np.all(close_mask(a, e[..., ::-1, ::-1], rtol, atol)):
        return "flipped kernel (true convolution instead of cross-correlation, or the reverse)"
    wrong = ~close
    if kinks is not None and np.shape(kinks) == a.shape and np.any(kinks) and not np.any(wrong & ~np.asarray(kinks, bool)):
        return "wrong only at kinks (where the input is exactly 0 or tied): check the strict/non-strict comparison"
    n_wrong = int(wrong.sum())
    if n_wrong <= max(1, a.size // 10):
        return f"wrong in {n_wrong} of {a.size} entries only"
    return None


def directional_check(f, x: np.ndarray, grad: np.ndarray, dout=None, *, n_dirs: int = 4,
                      h: float = 1e-5, seed: int = 0, tol: float = 1e-5) -> Diagnosis:
    """Check ``grad`` = dL/dx, ``L(x) = sum(f(x) · dout)``, along random ±1 directions.

    For each direction v: numeric ``(L(x + h v) − L(x − h v)) / 2h`` against
    analytic ``Σ grad · v``. Signed directions (not all-positive ones) catch
    a flipped kernel or a sign error confined to part of the input.
    Returns a ``Diagnosis`` named "directional check".
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
                     f"directional check along random ±1 directions: relative error {worst:.2g} "
                     f"(yours {pair[0]:.6g}, numeric {pair[1]:.6g})",
                     rel_error=worst, yours=pair[0], expected=pair[1])
