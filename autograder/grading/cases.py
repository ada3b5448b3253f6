"""Test inputs for hidden tests: seeded arrays with the edge values students get wrong.

Hypothesis draws small integers (shapes, a seed, a kind); these helpers
turn them into float64 arrays, so an example is cheap to generate and a
regrade (derandomised hypothesis) sees the very same arrays.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

KINDS = ("normal", "zeros", "ties", "large")


def array(shape, seed: int, kind: str = "normal") -> np.ndarray:
    """A float64 array of ``shape``.

    kinds: ``normal`` (standard normal), ``zeros`` (a third of the entries
    exactly 0), ``ties`` (small integers: many equal values and zeros),
    ``large`` (scale 50: saturates a sigmoid, overflows a naive exp).
    """
    rng = np.random.default_rng(seed)
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
    return st.integers(min_value=0, max_value=2**31 - 1)


def kinds(*allowed: str) -> st.SearchStrategy:
    return st.sampled_from(allowed or KINDS)


def dims(lo: int = 1, hi: int = 5) -> st.SearchStrategy:
    return st.integers(min_value=lo, max_value=hi)
