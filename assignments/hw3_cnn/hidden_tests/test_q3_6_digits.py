"""3.6 Training the CNN on handwritten digits (10 points).

The student's ``init_cnn``, ``cnn_loss_and_grads`` and ``cnn_forward``,
trained in the worker by the grader's own minibatch Adam loop
(``callables.minibatch_train``, public code: hw3 has no ``train``). With
this configuration correct implementations reach 93–97 % (depending on the
RNG); the bar leaves a margin.
"""

import numpy as np

from autograder.data import load_digits_split
from autograder.grading.checks import CheckFailed
from autograder.grading.graded import GradedTest, number, partial_credit, time_limit
from autograder.grading.protocol import FunctionRef

FULL, HALF = 0.90, 0.80


class TestCNNDigits(GradedTest):
    @partial_credit(10)
    @number("3.6.1")
    @time_limit(240)  # a naive 4-loop convolution trains in ~30–60 s: fair, and still bounded
    def test_digits(self, set_score=None):
        """3.6 your CNN trained on digits (8 filters 3×3, Adam, 2 epochs) reaches 90 % test accuracy"""
        s = self.scorer(set_score)
        X_train, y_train, X_test, y_test = load_digits_split()
        X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)
        result = {}

        def trained():
            params = self.call_or_fail("conv.init_cnn", (1, 8, 8), 8, 3, 10, seed=0)
            if type(params) is not dict:
                raise CheckFailed("init_cnn must return a dict")
            loss_fn = FunctionRef("student:conv.cnn_loss_and_grads", {"reg": 1e-4})
            got = self.call_or_fail("@minibatch_train", loss_fn, params, X_train, y_train,
                                    lr=3e-2, epochs=2, batch_size=64, seed=0, call_timeout=200)
            scores = self.call_or_fail("conv.cnn_forward", got[0], X_test, call_timeout=60)
            if type(scores) is not np.ndarray or scores.shape != (len(y_test), 10):
                raise CheckFailed(f"cnn_forward must return scores of shape ({len(y_test)}, 10)")
            result["acc"] = float(np.mean(np.argmax(scores, axis=1) == y_test))
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
