"""2.7 Centering and standardisation (10 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(27)
X = RNG.standard_normal((6, 3)) * np.array([1.0, 10.0, 0.1]) + np.array([5.0, -2.0, 0.0])
XC = X.copy()
XC[:, 1] = 4.0   # a constant feature: std 0 → 1
CASES = st.tuples(dims(1, 6), dims(1, 4), seeds())


class TestStandardize(GradedTest):
    @partial_credit(3)
    @number("2.7.1")
    def test_center(self, set_score=None):
        """2.7 center: (Xc, mean)"""
        s = self.scorer(set_score)
        s.part(2, "center", lambda: self.compare("preprocess.center", X))
        s.part(1, "random inputs", lambda: self.examples(CASES, lambda c: self.compare(
            "preprocess.center", array((c[0], c[1]), c[2])), max_examples=8))
        s.finish()

    @partial_credit(4)
    @number("2.7.2")
    def test_standardize(self, set_score=None):
        """2.7 standardize: population std, a constant feature gets std 1"""
        s = self.scorer(set_score)
        s.part(1, "standardize", lambda: self.compare("preprocess.standardize", X))
        s.part(2, "a constant feature (std below eps → 1)", lambda: self.compare("preprocess.standardize", XC))
        s.part(1, "eps = 0.5", lambda: self.compare("preprocess.standardize", X * np.array([1.0, 1.0, 0.01]), eps=0.5))
        s.finish()

    @partial_credit(3)
    @number("2.7.3")
    def test_standardize_with(self, set_score=None):
        """2.7 standardize_with: training statistics applied to new data"""
        s = self.scorer(set_score)
        mean, std = X.mean(axis=0), X.std(axis=0)
        s.part(2, "new data", lambda: self.compare("preprocess.standardize_with", RNG.standard_normal((4, 3)), mean, std))
        s.part(1, "one sample", lambda: self.compare("preprocess.standardize_with", X[:1], mean, std))
        s.finish()
