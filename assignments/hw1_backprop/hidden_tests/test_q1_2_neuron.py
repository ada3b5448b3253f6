"""1.2 The sigmoid neuron (15 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, kinds, seeds
from autograder.grading.graded import GradedTest, number, partial_credit


def with_bias(x):
    """The lecture's convention: feature 0 is the constant 1."""
    x = np.array(x, dtype=np.float64)
    x[..., 0] = 1.0
    return x


X1 = with_bias([0.0, 2.0, -1.0])
W = np.array([-3.0, 2.0, -2.0])
XB = with_bias(np.random.default_rng(12).standard_normal((4, 3)))


class TestNeuron(GradedTest):
    @partial_credit(6)
    @number("1.2.1")
    def test_forward(self, set_score=None):
        """1.2 neuron_forward: one input, a batch, saturated (±1000) without NaN"""
        s = self.scorer(set_score)
        s.part(2, "one input (d,)", lambda: self.compare("gates.neuron_forward", X1, W))
        s.part(2, "a batch (N, d)", lambda: self.compare("gates.neuron_forward", XB, W))
        big = with_bias([[0.0, 1000.0, 0.0], [0.0, -1000.0, 0.0]])
        s.part(2, "saturated: x·w = ±1000", lambda: self.compare("gates.neuron_forward", big, np.array([0.0, 1.0, 0.5])))
        s.finish()

    @partial_credit(6)
    @number("1.2.2")
    def test_backward(self, set_score=None):
        """1.2 neuron_backward: dx and dw, one input and a batch"""
        s = self.scorer(set_score)
        s.gradients(1, "gates.neuron_backward", (np.float64(1.5), X1, W), ("dx", "dw"), label="one input")
        dout = np.array([0.5, -1.0, 2.0, 0.25])
        s.gradients(2, "gates.neuron_backward", (dout, XB, W), ("dx", "dw"), label="a batch", batch=4)
        s.finish()

    @partial_credit(3)
    @number("1.2.3")
    def test_random(self, set_score=None):
        """1.2 neuron forward and backward on random batches, large scores included"""
        s = self.scorer(set_score)
        cases = st.tuples(dims(1, 5), dims(2, 5), seeds(), kinds("normal", "large"))

        def one(case):
            n, d, seed, kind = case
            x, w, dout = with_bias(array((n, d), seed, kind)), array((d,), seed + 1), array((n,), seed + 2)
            self.compare("gates.neuron_forward", x, w)
            self.compare("gates.neuron_backward", dout, x, w)

        s.part(1, "random inputs", lambda: self.examples(cases, one, max_examples=15))
        s.finish()
