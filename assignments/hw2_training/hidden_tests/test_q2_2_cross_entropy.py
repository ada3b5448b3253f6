"""2.2 Cross-entropy losses and L2 regularisation (10 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

CASES = st.tuples(dims(1, 5), dims(2, 5), seeds(), st.sampled_from(["normal", "large"]))


class TestCrossEntropy(GradedTest):
    @partial_credit(4)
    @number("2.2.1")
    def test_binary_cross_entropy(self, set_score=None):
        """2.2 binary_cross_entropy: stable for any logit (±1000)"""
        s = self.scorer(set_score)
        logits = np.array([0.5, -2.0, 0.0, 3.0])
        y = np.array([1, 0, 1, 0])
        s.part(1, "moderate logits", lambda: self.compare("losses.binary_cross_entropy", logits, y))
        s.part(2, "saturated logits ±1000 (finite loss and gradient)", lambda: self.compare(
            "losses.binary_cross_entropy", np.array([1000.0, -1000.0, 1000.0, -1000.0]), np.array([1, 0, 0, 1])))
        s.part(1, "random inputs", lambda: self.examples(CASES, lambda c: self.compare(
            "losses.binary_cross_entropy", array((c[0],), c[2], c[3]),
            (array((c[0],), c[2] + 1) > 0).astype(np.int64)), max_examples=10))
        s.finish()

    @partial_credit(4)
    @number("2.2.2")
    def test_softmax_cross_entropy(self, set_score=None):
        """2.2 softmax_cross_entropy: stable for any score, dscores divided by N"""
        s = self.scorer(set_score)
        scores = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [-1.0, 3.0, 2.0]])
        y = np.array([1, 0, 2])
        s.part(1, "loss", lambda: self.compare("losses.softmax_cross_entropy", scores, y))
        s.gradients(1, "losses.softmax_cross_entropy", (scores, y), ("loss", "dscores"), label="dscores", batch=3)
        s.part(1, "saturated scores (1000 apart)", lambda: self.compare(
            "losses.softmax_cross_entropy", np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]), np.array([2, 1])))
        s.part(1, "random inputs", lambda: self.examples(CASES, lambda c: self.compare(
            "losses.softmax_cross_entropy", array((c[0], c[1]), c[2], c[3]),
            np.random.default_rng(c[2]).integers(0, c[1], c[0])), max_examples=10))
        s.finish()

    @partial_credit(2)
    @number("2.2.3")
    def test_l2_regularization(self, set_score=None):
        """2.2 l2_regularization: reg · Σ W² and 2 · reg · W"""
        s = self.scorer(set_score)
        W = np.array([[1.0, -2.0], [0.5, 3.0], [0.0, -1.0]])
        s.part(1, "reg = 0.1", lambda: self.compare("losses.l2_regularization", W, 0.1))
        s.part(1, "reg = 0", lambda: self.compare("losses.l2_regularization", W, 0.0))
        s.finish()
