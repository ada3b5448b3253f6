"""1.6 The linear layer (20 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(16)
X = RNG.standard_normal((4, 3))       # N = 4, d = 3
W = RNG.standard_normal((2, 3))       # m = 2
B = np.array([0.5, -1.0])             # non-zero bias
DOUT = RNG.standard_normal((4, 2))
XS, WS, BS = RNG.standard_normal((3, 3)), RNG.standard_normal((3, 3)), RNG.standard_normal(3)  # square everything


class TestLinearLayer(GradedTest):
    @partial_credit(6)
    @number("1.6.1")
    def test_forward(self, set_score=None):
        """1.6 linear_forward: x @ W.T + b, d ≠ m and square W, bad shapes"""
        s = self.scorer(set_score)
        s.part(2, "N = 4, d = 3, m = 2", lambda: self.compare("layers.linear_forward", X, W, B))
        s.part(2, "square W", lambda: self.compare("layers.linear_forward", XS, WS, BS))
        s.part(1, "W of shape (d, m) raises ValueError",
               lambda: self.expect_value_error("layers.linear_forward", X, W.T.copy(), B))
        cases = st.tuples(dims(1, 5), dims(1, 5), dims(1, 5), seeds())
        s.part(1, "random shapes", lambda: self.examples(cases, lambda c: self.compare(
            "layers.linear_forward", array((c[0], c[1]), c[3]), array((c[2], c[1]), c[3] + 1), array((c[2],), c[3] + 2)),
            max_examples=10))
        s.finish()

    @partial_credit(14)
    @number("1.6.2")
    def test_backward(self, set_score=None):
        """1.6 linear_backward: dx, dW, db (summed over the batch)"""
        s = self.scorer(set_score)
        s.gradients(3, "layers.linear_backward", (DOUT, X, W, B), ("dx", "dW", "db"), batch=4)
        s.gradients(1, "layers.linear_backward", (RNG.standard_normal((3, 3)), XS, WS, BS), ("dx", "dW", "db"),
                    label="square W", batch=3)
        cases = st.tuples(dims(1, 5), dims(1, 5), dims(1, 5), seeds())

        def one(c):
            n, d, m, seed = c
            self.compare("layers.linear_backward", array((n, m), seed + 3), array((n, d), seed),
                         array((m, d), seed + 1), array((m,), seed + 2))

        s.part(2, "random shapes", lambda: self.examples(cases, one, max_examples=10))
        s.finish()
