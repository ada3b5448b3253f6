"""3.3 Convolution backward (25 points).

Per-gradient partial credit (dx, dw, db) against the reference's gradients,
with a diagnosis; on a larger input, a directional check of dx and dw against
central differences of the reference's conv_forward along random ±1
directions (an all-positive direction nearly misses a flipped kernel).
"""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, seeds
from autograder.grading.checks import CheckFailed
from autograder.grading.diagnose import directional_check
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(33)
X = RNG.standard_normal((2, 2, 5, 5))
W = RNG.standard_normal((3, 2, 3, 3))
B = RNG.standard_normal(3)


class TestConvBackward(GradedTest):
    @partial_credit(9)
    @number("3.3.1")
    def test_pad(self, set_score=None):
        """3.3 conv_backward, stride 1, pad 1: dx, dw, db"""
        s = self.scorer(set_score)
        dout = RNG.standard_normal((2, 3, 5, 5))
        s.gradients(1, "conv.conv_backward", (dout, X, W, B), ("dx", "dw", "db"), kwargs={"stride": 1, "pad": 1})
        s.finish()

    @partial_credit(9)
    @number("3.3.2")
    def test_stride(self, set_score=None):
        """3.3 conv_backward, stride 2, pad 0 (overlapping windows): dx, dw, db"""
        s = self.scorer(set_score)
        dout = RNG.standard_normal((2, 3, 2, 2))
        s.gradients(1, "conv.conv_backward", (dout, X, W, B), ("dx", "dw", "db"), kwargs={"stride": 2, "pad": 0})
        s.finish()

    @partial_credit(4)
    @number("3.3.3")
    def test_directional(self, set_score=None):
        """3.3 conv_backward on a larger input: directional checks of dx and dw"""
        s = self.scorer(set_score)
        x = RNG.standard_normal((2, 3, 8, 8))
        w = RNG.standard_normal((4, 3, 3, 3))
        b = RNG.standard_normal(4)
        dout = RNG.standard_normal((2, 4, 8, 8))
        forward = self.ref("conv.conv_forward")
        got = {}

        def run():
            got["g"] = g = self.call_or_fail("conv.conv_backward", dout, x, w, b, stride=1, pad=1)
            if type(g) not in (tuple, list) or len(g) != 3:
                raise CheckFailed("conv_backward must return (dx, dw, db)")
            for value, like, name in ((g[0], x, "dx"), (g[1], w, "dw")):
                if type(value) is not np.ndarray or value.shape != like.shape:
                    raise CheckFailed(f"{name} must be an array of shape {like.shape}")

        def direction(which):
            def check():
                if "g" not in got:
                    raise CheckFailed("no gradients")
                if which == "dx":
                    d = directional_check(lambda v: forward(v, w, b, 1, 1), x, got["g"][0], dout, seed=1)
                else:
                    d = directional_check(lambda v: forward(x, v, b, 1, 1), w, got["g"][1], dout, seed=2)
                if not d.ok:
                    raise CheckFailed(f"{which}: {d.message}")
            return check

        if s.part(1, "returns dx, dw of the right shapes", run):
            s.part(1.5, "dx along random ±1 directions", direction("dx"))
            s.part(1.5, "dw along random ±1 directions", direction("dw"))
        else:
            s.lose(3, "directional checks", "no gradients to check")
        s.finish()

    @partial_credit(3)
    @number("3.3.4")
    def test_random(self, set_score=None):
        """3.3 conv_backward on random geometries"""
        s = self.scorer(set_score)
        cases = st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 2), st.sampled_from([(1, 0), (1, 1), (2, 1)]),
                          seeds())

        def one(c):
            n, cin, f, (stride, pad), seed = c
            x, w, b = array((n, cin, 5, 5), seed), array((f, cin, 3, 3), seed + 1), array((f,), seed + 2)
            out = (5 + 2 * pad - 3) // stride + 1
            self.compare("conv.conv_backward", array((n, f, out, out), seed + 3), x, w, b, stride=stride, pad=pad)

        s.part(1, "random geometries", lambda: self.examples(cases, one, max_examples=8))
        s.finish()
