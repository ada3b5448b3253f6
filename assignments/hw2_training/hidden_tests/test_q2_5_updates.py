"""2.5 Update rules: GD, momentum, Nesterov, RMSProp, Adam (15 points)."""

import numpy as np
from hypothesis import strategies as st

from autograder.grading.cases import array, dims, seeds
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(25)
W = RNG.standard_normal((3, 4))
DW = RNG.standard_normal((3, 4))
PREV = W - 0.1 * RNG.standard_normal((3, 4))
STATE = np.abs(RNG.standard_normal((3, 4)))
CASES = st.tuples(dims(1, 4), dims(1, 4), seeds())


class TestUpdates(GradedTest):
    def _random(self, target, make):
        def one(c):
            n, d, seed = c
            self.compare(target, *make((n, d), seed))
        return lambda: self.examples(CASES, one, max_examples=8)

    @partial_credit(2)
    @number("2.5.1")
    def test_gd(self, set_score=None):
        """2.5 gd_step: W − η ∇L"""
        s = self.scorer(set_score)
        s.part(1, "gd_step", lambda: self.compare("optim.gd_step", W, DW, 0.1))
        s.part(1, "random shapes", self._random("optim.gd_step", lambda sh, sd: (array(sh, sd), array(sh, sd + 1), 0.05)))
        s.finish()

    @partial_credit(3)
    @number("2.5.2")
    def test_momentum(self, set_score=None):
        """2.5 momentum_step: the lecture's heavy ball, W − η ∇L + γ (W − W_prev)"""
        s = self.scorer(set_score)
        s.part(1, "first step (W_prev = W)", lambda: self.compare("optim.momentum_step", W, W, DW, 0.1, 0.9))
        s.part(1, "later step", lambda: self.compare("optim.momentum_step", W, PREV, DW, 0.1, 0.5))
        s.part(1, "random shapes", self._random("optim.momentum_step", lambda sh, sd: (
            array(sh, sd), array(sh, sd + 1), array(sh, sd + 2), 0.01, 0.9)))
        s.finish()

    @partial_credit(3)
    @number("2.5.3")
    def test_nesterov(self, set_score=None):
        """2.5 nesterov_step: (w_next, v_next)"""
        s = self.scorer(set_score)
        s.part(1, "v = 0", lambda: self.compare("optim.nesterov_step", W, DW, np.zeros_like(W), 0.1, 0.9))
        s.part(1, "v ≠ 0, momentum 0.5", lambda: self.compare("optim.nesterov_step", W, DW, PREV - W, 0.1, 0.5))
        s.part(1, "random shapes", self._random("optim.nesterov_step", lambda sh, sd: (
            array(sh, sd), array(sh, sd + 1), array(sh, sd + 2), 0.01, 0.9)))
        s.finish()

    @partial_credit(3)
    @number("2.5.4")
    def test_rmsprop(self, set_score=None):
        """2.5 rmsprop_step: default and non-default decay/eps"""
        s = self.scorer(set_score)
        s.part(1, "cache = 0, defaults", lambda: self.compare("optim.rmsprop_step", W, DW, np.zeros_like(W), 0.01))
        s.part(1, "cache ≠ 0, decay = 0.9, eps = 1e-4", lambda: self.compare(
            "optim.rmsprop_step", W, DW, STATE, 0.01, decay=0.9, eps=1e-4))
        s.part(1, "random shapes", self._random("optim.rmsprop_step", lambda sh, sd: (
            array(sh, sd), array(sh, sd + 1), np.abs(array(sh, sd + 2)), 0.01)))
        s.finish()

    @partial_credit(4)
    @number("2.5.5")
    def test_adam(self, set_score=None):
        """2.5 adam_step: bias correction at t = 1 and t = 5, non-default betas"""
        s = self.scorer(set_score)
        z = np.zeros_like(W)
        s.part(1, "t = 1 from zero moments", lambda: self.compare("optim.adam_step", W, DW, z, z, 1, 0.01))
        s.part(1, "t = 5", lambda: self.compare("optim.adam_step", W, DW, 0.1 * DW, STATE, 5, 0.01))
        s.part(1, "beta1 = 0.5, beta2 = 0.9, eps = 1e-6", lambda: self.compare(
            "optim.adam_step", W, DW, 0.1 * DW, STATE, 3, 0.01, beta1=0.5, beta2=0.9, eps=1e-6))
        s.part(1, "random shapes", self._random("optim.adam_step", lambda sh, sd: (
            array(sh, sd), array(sh, sd + 1), array(sh, sd + 2), np.abs(array(sh, sd + 3)), 2, 0.01)))
        s.finish()
