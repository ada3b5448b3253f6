"""3.2 Convolution forward (20 points). Inputs stay small: a naive loop version finishes quickly."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, seeds
from autograder.grading.checks import CheckFailed
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(32)
X = RNG.standard_normal((2, 3, 5, 5))
W = RNG.standard_normal((4, 3, 3, 3))
B = RNG.standard_normal(4)


class TestConvForward(GradedTest):
    def conv(self, x, w, b, **kw):
        """compare(), plus the classic mistake named: a flipped kernel (true convolution)."""
        try:
            self.compare("conv.conv_forward", x, w, b, **kw)
        except CheckFailed as exc:
            flipped = self.expected("conv.conv_forward", x, w[..., ::-1, ::-1].copy(), b, **kw)
            got = self.call_or_fail("conv.conv_forward", x, w, b, **kw)
            if type(got) is np.ndarray and got.shape == flipped.shape and np.allclose(got, flipped, rtol=1e-6, atol=1e-8):
                raise CheckFailed(f"{exc} — likely a flipped kernel: the lecture's convolution is a "
                                  "cross-correlation (no flip)") from None
            raise

    @partial_credit(12)
    @number("3.2.1")
    def test_fixed(self, set_score=None):
        """3.2 conv_forward: pad 0, pad 1, stride 2 (overlapping windows), non-square filter"""
        s = self.scorer(set_score)
        s.part(3, "stride 1, pad 0", lambda: self.conv(X, W, B))
        s.part(3, "stride 1, pad 1", lambda: self.conv(X, W, B, pad=1))
        s.part(3, "stride 2, pad 1", lambda: self.conv(X, W, B, stride=2, pad=1))
        w2 = RNG.standard_normal((2, 3, 1, 3))
        s.part(3, "1×3 filter, one image", lambda: self.conv(X[:1], w2, B[:2]))
        s.finish()

    @partial_credit(8)
    @number("3.2.2")
    def test_random(self, set_score=None):
        """3.2 conv_forward on random geometries; a geometry that does not divide raises ValueError"""
        s = self.scorer(set_score)
        cases = st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.sampled_from([1, 3]),
                          st.integers(0, 2), st.integers(1, 2), seeds())

        def one(c):
            n, cin, f, k, pad, stride, seed = c
            size = 4 + 2 * stride - 2 * pad if 4 + 2 * stride - 2 * pad >= k else 5
            span = size + 2 * pad - k
            if span % stride:
                size += stride - span % stride
            self.conv(array((n, cin, size, size), seed), array((f, cin, k, k), seed + 1),
                      array((f,), seed + 2), stride=stride, pad=pad)

        s.part(6, "random geometries", lambda: self.examples(cases, one, max_examples=12))
        s.part(2, "stride 2 on a 6×6 input with a 3×3 filter raises ValueError", lambda: self.expect_value_error(
            "conv.conv_forward", RNG.standard_normal((1, 1, 6, 6)), RNG.standard_normal((1, 1, 3, 3)), np.zeros(1), stride=2))
        s.finish()
