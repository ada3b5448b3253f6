"""1.3 Activation functions (20 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, kinds, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

X = np.array([[-3.0, -0.5, 0.0, 0.5], [2.0, 0.0, -1e-3, 4.0]])   # exact zeros at the kink
DOUT = np.array([[1.0, -2.0, 0.5, 3.0], [-1.5, 2.5, 1.0, -0.5]])
SATURATED = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
CASES = st.tuples(dims(1, 4), dims(1, 5), seeds(), kinds())


class TestActivations(GradedTest):
    def _random(self, name, **kw):
        def one(case):
            n, d, seed, kind = case
            x, dout = array((n, d), seed, kind), array((n, d), seed + 1)
            if name == "leaky_relu":
                x[x == 0] = 0.5  # the slope at exactly 0 is a convention for leaky ReLU: not graded
            self.compare(f"activations.{name}_forward", x, **kw)
            self.compare(f"activations.{name}_backward", dout, x, **kw)
        return lambda: self.examples(CASES, one, max_examples=12)

    @partial_credit(5)
    @number("1.3.1")
    def test_sigmoid(self, set_score=None):
        """1.3 sigmoid: forward (stable at ±1000), backward"""
        s = self.scorer(set_score)
        s.part(1, "sigmoid_forward", lambda: self.compare("activations.sigmoid_forward", X))
        s.part(1, "sigmoid_forward at ±1000 (no NaN)", lambda: self.compare("activations.sigmoid_forward", SATURATED))
        s.gradients(1, "activations.sigmoid_backward", (DOUT, X), ("dx",), label="sigmoid_backward")
        s.gradients(1, "activations.sigmoid_backward", (np.ones(5), SATURATED), ("dx",), label="sigmoid_backward at ±1000")
        s.part(1, "random inputs", self._random("sigmoid"))
        s.finish()

    @partial_credit(5)
    @number("1.3.2")
    def test_tanh(self, set_score=None):
        """1.3 tanh: forward, backward"""
        s = self.scorer(set_score)
        s.part(1, "tanh_forward", lambda: self.compare("activations.tanh_forward", X))
        s.part(1, "tanh_forward at ±1000", lambda: self.compare("activations.tanh_forward", SATURATED))
        s.gradients(2, "activations.tanh_backward", (DOUT, X), ("dx",), label="tanh_backward")
        s.part(1, "random inputs", self._random("tanh"))
        s.finish()

    @partial_credit(5)
    @number("1.3.3")
    def test_relu(self, set_score=None):
        """1.3 ReLU: forward, backward (no gradient where x = 0)"""
        s = self.scorer(set_score)
        s.part(1, "relu_forward", lambda: self.compare("activations.relu_forward", X))
        s.gradients(3, "activations.relu_backward", (DOUT, X), ("dx",), label="relu_backward", kinks={"dx": X == 0})
        s.part(1, "random inputs (many exact zeros)", self._random("relu"))
        s.finish()

    @partial_credit(5)
    @number("1.3.4")
    def test_leaky_relu(self, set_score=None):
        """1.3 leaky ReLU: default alpha and alpha = 0.2"""
        s = self.scorer(set_score)
        x = np.where(X == 0, 0.25, X)
        s.part(1, "leaky_relu_forward (default alpha)", lambda: self.compare("activations.leaky_relu_forward", x))
        s.part(1, "leaky_relu_forward (alpha=0.2)", lambda: self.compare("activations.leaky_relu_forward", x, alpha=0.2))
        s.gradients(1, "activations.leaky_relu_backward", (DOUT, x), ("dx",), label="leaky_relu_backward (default alpha)")
        s.gradients(1, "activations.leaky_relu_backward", (DOUT, x), ("dx",), label="leaky_relu_backward (alpha=0.2)",
                    kwargs={"alpha": 0.2})
        s.part(1, "random inputs (alpha=0.3)", self._random("leaky_relu", alpha=0.3))
        s.finish()
