"""3.4 Max pooling (20 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(34)
X = RNG.standard_normal((2, 2, 4, 4))
TIES = np.array([[[[1.0, 1.0, 0.0, 2.0],
                   [0.0, 1.0, 2.0, 2.0],
                   [3.0, 0.0, 5.0, 5.0],
                   [0.0, 3.0, 5.0, 5.0]]]])   # every window has a tie: the first maximum (row-major) wins


def tie_mask(x, pool, stride):
    """True where an input shares its window's maximum with another entry (kinks of max)."""
    mask = np.zeros(x.shape, dtype=bool)
    n, c, h, w = x.shape
    for i in range(0, h - pool + 1, stride):
        for j in range(0, w - pool + 1, stride):
            win = x[:, :, i:i + pool, j:j + pool]
            m = win.max(axis=(2, 3), keepdims=True)
            eq = win == m
            several = eq.sum(axis=(2, 3), keepdims=True) > 1
            mask[:, :, i:i + pool, j:j + pool] |= eq & several
    return mask


class TestMaxPool(GradedTest):
    @partial_credit(6)
    @number("3.4.1")
    def test_forward(self, set_score=None):
        """3.4 max_pool_forward: 2×2 stride 2, 3×3 stride 1 (overlapping windows)"""
        s = self.scorer(set_score)
        s.part(3, "pool 2, stride 2", lambda: self.compare("conv.max_pool_forward", X))
        s.part(3, "pool 3, stride 1 (overlapping)", lambda: self.compare("conv.max_pool_forward", X, pool=3, stride=1))
        s.finish()

    @partial_credit(10)
    @number("3.4.2")
    def test_backward(self, set_score=None):
        """3.4 max_pool_backward: gradient to the maximum; ties → first in row-major order; overlaps add up"""
        s = self.scorer(set_score)
        s.gradients(3, "conv.max_pool_backward", (RNG.standard_normal((2, 2, 2, 2)), X), ("dx",), label="pool 2, stride 2")
        s.gradients(3, "conv.max_pool_backward", (np.array([[[[1.0, -2.0], [3.0, 0.5]]]]), TIES), ("dx",),
                    label="ties", kinks={"dx": tie_mask(TIES, 2, 2)})
        s.gradients(4, "conv.max_pool_backward", (RNG.standard_normal((2, 2, 2, 2)), X), ("dx",),
                    label="pool 3, stride 1 (overlapping windows add up)", kwargs={"pool": 3, "stride": 1})
        s.finish()

    @partial_credit(4)
    @number("3.4.3")
    def test_random(self, set_score=None):
        """3.4 max pooling on random inputs with many ties"""
        s = self.scorer(set_score)
        cases = st.tuples(st.integers(1, 2), st.integers(1, 2), st.sampled_from([(2, 2), (3, 1), (2, 1)]),
                          st.sampled_from(["normal", "ties"]), seeds())

        def one(c):
            n, ch, (pool, stride), kind, seed = c
            x = array((n, ch, 4, 4), seed, kind)
            out = (4 - pool) // stride + 1
            self.compare("conv.max_pool_forward", x, pool=pool, stride=stride)
            self.compare("conv.max_pool_backward", array((n, ch, out, out), seed + 1), x, pool=pool, stride=stride)

        s.part(1, "random inputs", lambda: self.examples(cases, one, max_examples=10))
        s.finish()
