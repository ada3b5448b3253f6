"""1.5 Gradients of ||Wx||² (15 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

W_RECT = np.array([[0.1, 0.5], [-0.3, 0.8], [1.0, -2.0]])   # m = 3, d = 2
X_RECT = np.array([0.2, 0.4])
W_SQ = np.array([[1.0, 2.0], [-0.5, 0.25]])                   # square: a transpose slips through shapes
X_SQ = np.array([1.5, -1.0])


class TestLinearL2(GradedTest):
    @partial_credit(4)
    @number("1.5.1")
    def test_forward(self, set_score=None):
        """1.5 linear_l2_forward: d ≠ m and square W"""
        s = self.scorer(set_score)
        s.part(1, "W (3, 2)", lambda: self.compare("jacobians.linear_l2_forward", W_RECT, X_RECT))
        s.part(1, "square W", lambda: self.compare("jacobians.linear_l2_forward", W_SQ, X_SQ))
        s.finish()

    @partial_credit(11)
    @number("1.5.2")
    def test_backward(self, set_score=None):
        """1.5 linear_l2_backward: dW and dx, dout ≠ 1, d ≠ m and square W"""
        s = self.scorer(set_score)
        s.gradients(2, "jacobians.linear_l2_backward", (2.0, W_RECT, X_RECT), ("dW", "dx"), label="W (3, 2), dout = 2")
        s.gradients(2, "jacobians.linear_l2_backward", (1.0, W_SQ, X_SQ), ("dW", "dx"), label="square W")
        cases = st.tuples(dims(1, 4), dims(1, 4), seeds())

        def one(case):
            m, d, seed = case
            self.compare("jacobians.linear_l2_backward", float(array((), seed + 2)), array((m, d), seed), array((d,), seed + 1))

        s.part(2, "random shapes", lambda: self.examples(cases, one, max_examples=10))
        s.finish()
