"""1.1 Add, multiply and max gates (15 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, kinds, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

X = np.array([[1.0, -2.0, 0.0], [3.5, 0.5, -1.0]])
Y = np.array([[2.0, -2.0, 1.0], [-3.0, 4.0, -1.0]])  # ties at (0, 1) and (1, 2)
DOUT = np.array([[0.5, -1.5, 2.0], [1.0, 3.0, -0.25]])


class TestGates(GradedTest):
    @partial_credit(5)
    @number("1.1.1")
    def test_add_mul(self, set_score=None):
        """1.1 add and multiply gates: forward and gradients (dout ≠ 1)"""
        s = self.scorer(set_score)
        s.part(1, "add_forward", lambda: self.compare("gates.add_forward", X, Y))
        s.gradients(1, "gates.add_backward", (DOUT, X, Y), ("dx", "dy"))
        s.part(1, "mul_forward", lambda: self.compare("gates.mul_forward", X, Y))
        s.gradients(1, "gates.mul_backward", (DOUT, X, Y), ("dx", "dy"))
        s.finish()

    @partial_credit(5)
    @number("1.1.2")
    def test_max(self, set_score=None):
        """1.1 max gate: forward and gradients, ties go to x"""
        s = self.scorer(set_score)
        s.part(1, "max_forward", lambda: self.compare("gates.max_forward", X, Y))
        ties = X == Y
        s.gradients(2, "gates.max_backward", (DOUT, X, Y), ("dx", "dy"), kinks={"dx": ties, "dy": ties})
        s.finish()

    @partial_credit(5)
    @number("1.1.3")
    def test_random_and_bad_shapes(self, set_score=None):
        """1.1 gates on random inputs (ties, zeros, 1-D and 2-D) and mismatched shapes"""
        s = self.scorer(set_score)
        cases = st.tuples(dims(1, 4), dims(1, 5), seeds(), kinds("normal", "ties", "zeros"), st.booleans())

        def one(case):
            n, d, seed, kind, flat = case
            shape = (n * d,) if flat else (n, d)
            x, y, dout = array(shape, seed, kind), array(shape, seed + 1, kind), array(shape, seed + 2)
            for gate in ("add", "mul", "max"):
                self.compare(f"gates.{gate}_forward", x, y)
                self.compare(f"gates.{gate}_backward", dout, x, y)

        s.part(4, "random inputs", lambda: self.examples(cases, one, max_examples=20))
        s.part(1, "x and y of different shapes raise ValueError",
               lambda: self.expect_value_error("gates.add_forward", np.ones((2, 3)), np.ones((3, 2))))
        s.finish()
