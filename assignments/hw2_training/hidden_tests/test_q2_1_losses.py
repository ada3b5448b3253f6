"""2.1 L2, hinge and multiclass SVM losses (10 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

CASES = st.tuples(dims(1, 5), dims(2, 4), seeds(), st.booleans())


class TestLosses(GradedTest):
    @partial_credit(3)
    @number("2.1.1")
    def test_l2(self, set_score=None):
        """2.1 l2_loss: mean over the batch of ||pred_i − y_i||², and dpred"""
        s = self.scorer(set_score)
        pred = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])
        y = np.array([[0.0, 2.5], [0.5, 1.0], [1.0, 1.0]])
        s.part(1, "loss and dpred, N = 3", lambda: self.compare("losses.l2_loss", pred, y))
        s.gradients(1, "losses.l2_loss", (pred, y), ("loss", "dpred"), label="dpred diagnosis", batch=3)
        s.part(1, "random inputs", lambda: self.examples(CASES, lambda c: self.compare(
            "losses.l2_loss", array((c[0], c[1]), c[2]), array((c[0], c[1]), c[2] + 1)), max_examples=10))
        s.finish()

    @partial_credit(3)
    @number("2.1.2")
    def test_hinge(self, set_score=None):
        """2.1 hinge_loss: binary, y ∈ {−1, +1}, no gradient at margin exactly 0"""
        s = self.scorer(set_score)
        scores = np.array([2.0, 1.0, -0.5, 0.3, -1.0])   # 1.0 with y = +1 and -1.0 with y = -1: margin exactly 0
        y = np.array([1, 1, 1, -1, -1])
        s.part(2, "loss and dscores with margins exactly 0", lambda: self.compare("losses.hinge_loss", scores, y))

        def one(c):
            n, _, seed, ties = c
            sc = array((n,), seed, "ties" if ties else "normal")
            yy = np.where(array((n,), seed + 1) > 0, 1, -1)
            self.compare("losses.hinge_loss", sc, yy)

        s.part(1, "random inputs", lambda: self.examples(CASES, one, max_examples=10))
        s.finish()

    @partial_credit(4)
    @number("2.1.3")
    def test_svm(self, set_score=None):
        """2.1 svm_loss: multiclass, margin 1, ties and exact-zero margins"""
        s = self.scorer(set_score)
        scores = np.array([[3.0, 2.0, 2.0], [1.0, 1.0, 0.0], [0.5, 2.5, -1.0], [0.0, 0.0, 0.0]])
        y = np.array([0, 1, 1, 2])  # row 0: margins exactly 0; row 3: all tied
        s.part(1, "loss", lambda: self.compare("losses.svm_loss", scores, y))
        s.gradients(2, "losses.svm_loss", (scores, y), ("loss", "dscores"), label="dscores", batch=4)

        def one(c):
            n, k, seed, ties = c
            sc = array((n, k), seed, "ties" if ties else "normal")
            self.compare("losses.svm_loss", sc, np.random.default_rng(seed).integers(0, k, n))

        s.part(1, "random inputs", lambda: self.examples(CASES, one, max_examples=10))
        s.finish()
