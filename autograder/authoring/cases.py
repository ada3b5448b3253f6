"""Test inputs for hidden tests: seeded arrays with the edge values students get wrong.

``array(shape, q.rng, kind)`` draws a fixed case from the question's own
generator; inside ``q.examples`` hypothesis draws small integers (shapes, a
seed, a kind) and ``array(shape, seed, kind)`` turns them into float64
arrays, so an example is cheap to generate. Both are seeded per submission
and question (``autograder.authoring``): a regrade of the same submission
sees the very same arrays, another submission other ones.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

KINDS = ("normal", "zeros", "ties", "large")


def array(shape, seed, kind: str = "normal") -> np.ndarray:
    """A float64 array of ``shape`` drawn from ``seed`` (an int or a numpy Generator).

    kinds: ``normal`` (standard normal), ``zeros`` (a third of the entries
    exactly 0), ``ties`` (small integers: many equal values and zeros),
    ``large`` (scale 50: saturates a sigmoid, overflows a naive exp).
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if kind == "zeros":
        x[rng.random(shape) < 1 / 3] = 0.0
    elif kind == "ties":
        x = rng.integers(-2, 3, size=shape).astype(np.float64)
    elif kind == "large":
        x = x * 50.0
    elif kind != "normal":
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return x


def seeds() -> st.SearchStrategy:
    """Hypothesis strategy: a seed for ``array`` (0 … 2³¹ − 1)."""
    return st.integers(min_value=0, max_value=2**31 - 1)


def kinds(*allowed: str) -> st.SearchStrategy:
    """Hypothesis strategy: one of ``allowed`` kinds of ``array`` (default: all of ``KINDS``)."""
    return st.sampled_from(allowed or KINDS)


def dims(lo: int = 1, hi: int = 5) -> st.SearchStrategy:
    """Hypothesis strategy: an array dimension in ``[lo, hi]``."""
    return st.integers(min_value=lo, max_value=hi)


def conv_layer(rng: np.random.Generator, n: int, c: int, f: int, hh: int, ww: int, stride: int, pad: int):
    """``(x, w, b)`` of a convolution that fits exactly, with ``H_out ≠ W_out`` (hence ``H ≠ W``).

    ``H_out`` is 2 or 3 and ``W_out`` 1 or 2 more, drawn from ``rng``; the input
    size follows from ``H = (H_out − 1)·stride + HH − 2·pad`` (needs ``HH, WW ≥ 2·pad``
    for the smallest outputs). Returns x (N, C, H, W), w (F, C, HH, WW), b (F,), all
    standard normal: a square-only or a single-axis bug shows on every such case.
    """
    h_out = int(rng.integers(2, 4))
    w_out = h_out + int(rng.integers(1, 3))
    h, w = ((out - 1) * stride + k - 2 * pad for out, k in ((h_out, hh), (w_out, ww)))
    return rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, hh, ww)), rng.standard_normal(f)


def random_conv_layer(rng: np.random.Generator, stride: int, pad: int):
    """``conv_layer`` with N, C, F in 1..3 and a filter of 1..3 (at least ``2·pad``) per side, from ``rng``."""
    n, c, f = (int(v) for v in rng.integers(1, 4, size=3))
    hh, ww = (max(int(v), 2 * pad) for v in rng.integers(1, 4, size=2))
    return conv_layer(rng, n, c, f, hh, ww, stride, pad)
