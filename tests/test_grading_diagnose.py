"""Gradient diagnosis: each recognisable mistake is named, a right gradient passes."""

import numpy as np
import pytest

from autograder.grading.diagnose import diagnose_gradient, directional_check
from autograder.grading.protocol import Rejected

RNG = np.random.default_rng(0)
E = RNG.standard_normal((4, 3))


def likely(got, expected=E, **kw):
    d = diagnose_gradient(got, expected, "dW", **kw)
    assert not d.ok
    return d


def test_right_gradient_passes_within_float_noise():
    d = diagnose_gradient(E * (1 + 1e-12), E, "dW")
    assert d.ok and d.message == "dW: ok"


@pytest.mark.parametrize("factor,text", [(2.0, "twice too large"), (0.5, "half the right size"),
                                         (-1.0, "wrong sign"), (3.7, "constant factor ×3.7")])
def test_constant_factors(factor, text):
    assert text in likely(factor * E).message


def test_batch_size_factors():
    assert "forgot to divide by the batch size" in likely(4 * E, batch=4).message
    assert "divided by the batch size once too often" in likely(E / 4, batch=4).message


def test_transposed_square_and_rectangular():
    sq = RNG.standard_normal((3, 3))
    assert likely(sq.T, sq).likely == "transposed"
    d = likely(E.T.copy())
    assert d.likely == "transposed" and "shape (3, 4), expected (4, 3)" in d.message


def test_wrong_only_at_kinks():
    x = np.array([[1.0, 0.0, -2.0], [0.0, 3.0, -1.0]])
    dout = RNG.standard_normal(x.shape)
    right = np.where(x > 0, dout, 0.0)
    wrong = np.where(x >= 0, dout, 0.0)
    d = diagnose_gradient(wrong, right, "dx", kinks=(x == 0))
    assert not d.ok and "wrong only at kinks" in d.message


def test_all_zero_and_worst_entry():
    d = likely(np.zeros_like(E))
    assert "all zeros" in d.message
    bad = E.copy()
    bad[2, 1] += 5.0
    d = likely(bad)
    assert d.worst_index == (2, 1) and d.yours == pytest.approx(E[2, 1] + 5) and d.expected == pytest.approx(E[2, 1])
    assert "worst entry at index (2, 1)" in d.message and "wrong in 1 of 12 entries" in d.message


def test_shapes_and_types():
    batch = RNG.standard_normal((5, 4, 3))
    assert "summed over the batch" in likely(batch.sum(axis=0), batch).message
    assert "a scalar where an array" in likely(np.float64(1.0), E).message
    assert "got an array of dtype object" in likely(Rejected("an array of dtype object")).message
    assert "a scalar where an array" in likely(np.array(1.0), E).message
    assert "got a list" in likely([1.0, 2.0]).message
    assert "NaN or inf" in likely(np.full_like(E, np.nan)).message


def test_flipped_kernel():
    w = RNG.standard_normal((2, 1, 3, 3))
    assert "flipped kernel" in likely(w[..., ::-1, ::-1].copy(), w).message


def test_directional_check_catches_a_flipped_kernel_that_positive_directions_miss():
    x = RNG.standard_normal((3, 3))
    k = RNG.standard_normal((3, 3))

    def f(v):  # a "convolution" at one position: sum(v * k)
        return np.sum(v * k)

    assert directional_check(f, x, k).ok
    flipped = k[::-1, ::-1].copy()
    d = directional_check(f, x, flipped, seed=3)
    assert not d.ok and "random ±1 directions" in d.message
