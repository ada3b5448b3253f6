"""2.4 Backpropagation through the network (15 points)."""

import numpy as np

from autograder.grading.checks import check_scalar, CheckFailed
from autograder.grading.client import StudentCallFailed
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(24)


def params_for(sizes):
    p = {}
    for i in range(1, len(sizes)):
        p[f"W{i}"] = RNG.standard_normal((sizes[i], sizes[i - 1])) * 0.7
        p[f"b{i}"] = RNG.standard_normal(sizes[i]) * 0.3   # non-zero: biases must not be regularised
    return p


class TestBackprop(GradedTest):
    def _check(self, s, points_loss, points_grad, label, sizes, reg, n=6):
        p = params_for(sizes)
        X = RNG.standard_normal((n, sizes[0]))
        y = RNG.integers(0, sizes[-1], n)
        loss, grads = self.expected("network.loss_and_grads", p, X, y, reg=reg)
        try:
            got = self.student("network.loss_and_grads", p, X, y, reg=reg)
        except StudentCallFailed as exc:
            s.lose(points_loss + points_grad * len(grads), label, exc.reason)
            return
        if type(got) not in (tuple, list) or len(got) != 2:
            s.lose(points_loss + points_grad * len(grads), label, f"expected (loss, grads), got {type(got).__name__}")
            return

        def loss_ok():
            reason = check_scalar(got[0], loss, "loss")
            if reason:
                raise CheckFailed(reason)

        s.part(points_loss, f"{label}: loss", loss_ok)
        s.dict_gradients(points_grad, f"{label}: grads", got[1], grads, batch=n)

    @partial_credit(6)
    @number("2.4.1")
    def test_two_layers(self, set_score=None):
        """2.4 loss_and_grads: two layers, reg = 0"""
        s = self.scorer(set_score)
        self._check(s, 1, 1, "sizes [5, 4, 3]", [5, 4, 3], 0.0)
        s.finish()

    @partial_credit(5)
    @number("2.4.2")
    def test_regularised(self, set_score=None):
        """2.4 loss_and_grads: reg > 0 (weights only, biases not regularised)"""
        s = self.scorer(set_score)
        self._check(s, 1, 1, "sizes [4, 5, 3], reg = 0.1", [4, 5, 3], 0.1)
        s.finish()

    @partial_credit(4)
    @number("2.4.3")
    def test_three_layers(self, set_score=None):
        """2.4 loss_and_grads: three layers, reg = 0.05, a batch of 1"""
        s = self.scorer(set_score)
        self._check(s, 1, 1, "sizes [3, 6, 5, 4]", [3, 6, 5, 4], 0.05)
        self._check(s, 1, 1, "N = 1", [3, 4, 2], 0.0, n=1)
        s.finish()
