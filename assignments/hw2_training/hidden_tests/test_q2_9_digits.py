"""2.9 Training on handwritten digits (10 points).

The student's own pipeline end to end, in the worker: ``init_params``, then
``train`` with the student's ``loss_and_grads`` as ``loss_fn`` (a named
function on the worker's side), then ``predict`` on the held-out 20 %. The
digits data (autograder.data, a fixed split) is sent as arrays. The bar is
below the reference's accuracy by a margin: other correct RNGs for
``init_params``/``minibatch_indices`` land between 95 % and 99 % with this
configuration.
"""

import numpy as np

from autograder.data import load_digits_split
from autograder.grading.checks import CheckFailed
from autograder.grading.graded import GradedTest, number, partial_credit, time_limit
from autograder.grading.protocol import FunctionRef

FULL, HALF = 0.93, 0.85


class TestDigits(GradedTest):
    @partial_credit(10)
    @number("2.9.1")
    @time_limit(60)
    def test_digits(self, set_score=None):
        """2.9 a ReLU network trained with your train/loss_and_grads on digits reaches 93 % test accuracy"""
        s = self.scorer(set_score)
        X_train, y_train, X_test, y_test = load_digits_split()
        result = {}

        def trained():
            params = self.call_or_fail("network.init_params", [64, 64, 10], seed=0)
            loss_fn = FunctionRef("student:network.loss_and_grads", {"reg": 1e-4})
            got = self.call_or_fail("optim.train", params, X_train, y_train, loss_fn,
                                    optimizer="adam", lr=1e-2, batch_size=64, epochs=5, seed=0)
            if type(got) not in (tuple, list) or len(got) != 2 or type(got[0]) is not dict:
                raise CheckFailed("train must return (params, losses)")
            labels = self.call_or_fail("network.predict", got[0], X_test)
            if type(labels) is not np.ndarray or labels.shape != y_test.shape:
                raise CheckFailed(f"predict must return {y_test.shape[0]} labels, got {getattr(labels, 'shape', labels)!r}")
            result["acc"] = float(np.mean(labels == y_test))
            if result["acc"] < HALF:
                raise CheckFailed(f"test accuracy {result['acc']:.1%}, expected at least {FULL:.0%}")

        def full():
            if result["acc"] < FULL:
                raise CheckFailed(f"test accuracy {result['acc']:.1%}, expected at least {FULL:.0%}")

        if s.part(5, f"trains and reaches {HALF:.0%}", trained):
            s.part(5, f"reaches {FULL:.0%}", full)
        else:
            s.lose(5, f"reaches {FULL:.0%}", "not reached")
        s.finish()
