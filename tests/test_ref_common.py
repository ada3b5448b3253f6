"""Helpers shared by the reference-solution tests (``from test_ref_common import ...``).

- ``call_unmodified``: call a function and check it left its array arguments
  unchanged (the "inputs are never modified" convention);
- ``assert_grads_match``: compare a backward function with central-difference
  numeric gradients (``autograder.gradcheck``) for every input.

The tests at the bottom check that the helpers themselves catch what they
are meant to catch.
"""

import numpy as np
import pytest

from autograder.gradcheck import numeric_gradient, rel_error

GRAD_TOL = 1e-7  # CS231n's relative error; float64 central differences reach ~1e-9 or better


def call_unmodified(fn, *args, **kwargs):
    """Return ``fn(*args, **kwargs)`` after checking that no array argument changed."""
    before = [np.array(a, copy=True) for a in args]
    out = fn(*args, **kwargs)
    for i, (arg, copy) in enumerate(zip(args, before)):
        if isinstance(arg, np.ndarray):
            assert arg.dtype == copy.dtype and np.array_equal(arg, copy, equal_nan=True), (
                f"{fn.__name__} modified its argument {i}"
            )
    return out


def assert_grads_match(forward, backward, args, dout, tol=GRAD_TOL, h=1e-5):
    """Check ``backward(dout, *args)`` against numeric gradients of ``sum(forward(*args) * dout)``.

    ``h = 1e-5`` as in CS231n: the round-off of the summed loss, ``eps·|L|/h``,
    stays well below ``tol`` times the smallest gradient entries of the tests,
    and the truncation error ``h²·f'''/6`` is about 1e-11.

    ``backward`` must return one gradient per entry of ``args`` (a tuple, or a
    single array when there is one input), in order, each shaped like its input.
    Returns the analytic gradients (a tuple) for further checks.
    """
    grads = backward(dout, *args)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert len(grads) == len(args), f"{backward.__name__} returned {len(grads)} gradients for {len(args)} inputs"
    for i, (arg, grad) in enumerate(zip(args, grads)):

        def f(v, i=i):
            return forward(*args[:i], v, *args[i + 1 :])

        numeric = numeric_gradient(f, arg, dout, h=h)
        assert np.shape(grad) == np.shape(arg), (
            f"{backward.__name__}: gradient {i} has shape {np.shape(grad)}, its input {np.shape(arg)}"
        )
        err = rel_error(grad, numeric)
        assert err < tol, f"{backward.__name__}: gradient {i} rel_error {err:.2e} >= {tol:.0e}"
    return grads


def signed_magnitudes(rng, shape, low=0.5, high=2.0):
    """Random entries with ``low <= |v| <= high`` and random signs: an upstream gradient with
    no entry near 0, so that the relative errors of a gradient check are well conditioned."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def away_from_zero(x, margin=1e-3):
    """``x`` with every entry at least ``margin`` away from 0 (keeps central differences off a kink)."""
    return np.where(np.abs(x) < margin, np.copysign(margin, x) + x, x)


# --- the helpers catch what they are meant to catch -------------------------------------------


def test_call_unmodified_catches_in_place_change():
    def scale_in_place(x):
        x *= 2
        return x

    with pytest.raises(AssertionError, match="modified its argument 0"):
        call_unmodified(scale_in_place, np.ones(3))
    assert call_unmodified(np.negative, np.ones(3)).tolist() == [-1.0, -1.0, -1.0]


def test_assert_grads_match_catches_wrong_gradient():
    def square(x):
        return x * x

    def square_backward_right(dout, x):
        return 2 * x * dout

    def square_backward_wrong(dout, x):
        return x * dout  # off by a factor of 2

    x = np.array([0.5, -1.5, 2.0])
    dout = np.array([1.0, -2.0, 0.5])
    (dx,) = assert_grads_match(square, square_backward_right, (x,), dout)
    np.testing.assert_allclose(dx, [1.0, 6.0, 2.0])
    with pytest.raises(AssertionError, match="rel_error"):
        assert_grads_match(square, square_backward_wrong, (x,), dout)


def test_away_from_zero_moves_only_small_entries():
    x = np.array([0.0, 1e-5, -1e-5, 0.5, -2.0])
    out = away_from_zero(x)
    assert np.all(np.abs(out) >= 1e-3)
    np.testing.assert_array_equal(out[3:], x[3:])
    assert np.all(np.sign(out[1:]) == np.sign(x[1:]))
