"""1.4 Numerical Jacobians and the chain rule (15 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit
from autograder.grading.protocol import FunctionRef

A = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])  # f: R^3 -> R^2, d ≠ m
C = np.array([0.5, -0.25])
X3 = np.array([0.3, -1.2, 2.0])


class TestJacobians(GradedTest):
    @partial_credit(6)
    @number("1.4.1")
    def test_numerical_jacobian(self, set_score=None):
        """1.4 numerical_jacobian: (d, m) layout, d ≠ m, linear and nonlinear f"""
        s = self.scorer(set_score)
        # central differences of an affine f are exact up to rounding (≈1e-9 with h = 1e-6)
        s.part(2, "affine f, d = 3, m = 2 (the Jacobian is A.T)",
               lambda: self.compare("jacobians.numerical_jacobian", FunctionRef("affine", {"A": A, "c": C}), X3,
                                    rtol=1e-5, atol=1e-6))
        s.part(2, "tanh(A x + c)",
               lambda: self.compare("jacobians.numerical_jacobian", FunctionRef("tanh_affine", {"A": A, "c": C}), X3,
                                    rtol=1e-5, atol=1e-6))
        s.part(1, "h = 1e-4 given",
               lambda: self.compare("jacobians.numerical_jacobian", FunctionRef("tanh_affine", {"A": A.T, "c": X3}),
                                    np.array([0.1, -0.4]), h=1e-4, rtol=1e-5, atol=1e-6))
        cases = st.tuples(dims(1, 4), dims(1, 4), seeds())

        def one(case):
            d, m, seed = case
            f = FunctionRef("tanh_affine", {"A": array((m, d), seed), "c": array((m,), seed + 1)})
            self.compare("jacobians.numerical_jacobian", f, array((d,), seed + 2), rtol=1e-5, atol=1e-6)

        s.part(1, "random shapes", lambda: self.examples(cases, one, max_examples=10))
        s.finish()

    @partial_credit(4)
    @number("1.4.2")
    def test_relu_jacobian(self, set_score=None):
        """1.4 relu_jacobian: diagonal, 0 where x ≤ 0"""
        s = self.scorer(set_score)
        s.part(3, "x with an exact zero", lambda: self.compare("jacobians.relu_jacobian", np.array([1.5, 0.0, -2.0, 0.3])))
        s.part(1, "one entry", lambda: self.compare("jacobians.relu_jacobian", np.array([-1.0])))
        s.finish()

    @partial_credit(5)
    @number("1.4.3")
    def test_chain_rule(self, set_score=None):
        """1.4 chain_rule: dL/dx = (df/dx) @ dL/df, d ≠ m"""
        s = self.scorer(set_score)
        s.part(3, "d = 3, m = 2", lambda: self.compare("jacobians.chain_rule", A.T, np.array([2.0, -1.0])))
        cases = st.tuples(dims(1, 5), dims(1, 5), seeds())

        def one(case):
            d, m, seed = case
            self.compare("jacobians.chain_rule", array((d, m), seed), array((m,), seed + 1))

        s.part(2, "random shapes", lambda: self.examples(cases, one, max_examples=10))
        s.finish()
