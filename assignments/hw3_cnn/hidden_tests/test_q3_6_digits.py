"""3.6 Training the CNN on handwritten digits (10 points).

The student's ``init_cnn`` and ``cnn_loss_and_grads``, trained in the worker
by the grader's own minibatch Adam loop (``callables.minibatch_train``, public
code: hw3 has no ``train``) on the training 80 % of digits. Only the trained
parameters come back; the held-out 20 % never leaves the trusted side: the
grader checks the parameters (keys and shapes of ``init_cnn``'s network, finite
float64) and runs the *reference* ``cnn_forward`` on them. (A submission's own
``cnn_forward`` is graded by 3.5; computing the accuracy with it would let a
``cnn_loss_and_grads`` that memorises the batches it sees and a
nearest-neighbour ``cnn_forward`` score without training anything.)

The bar is issue 2's: 96 %. 5×5 filters (not 3×3) and a cosine-annealed step
size buy that accuracy in 4 epochs, so that a naive 4-loop convolution still
trains in about 45–70 s. The reference and every correct alternative of the
bank reach 98.6 %; over 80 initial draws (seeds 0–39 with ``default_rng`` and
with ``RandomState``) the worst was 97.2 %, the mean 98.6 %.
"""

import numpy as np

from autograder.data import load_digits_split, permute_labels
from autograder.grading.checks import CheckFailed, check_param_dict
from autograder.grading.graded import GradedTest, number, partial_credit, time_limit
from autograder.grading.protocol import FunctionRef

FULL, HALF = 0.96, 0.80
FILTERS, SIZE = 8, 5
TRAIN = dict(lr=2e-2, epochs=4, batch_size=16, seed=0, cosine=True)
REG = 1e-4
RELABEL_SEED = 3606
# init_cnn((1, 8, 8), FILTERS, SIZE, 10): conv keeps 8×8, the 2×2 pool halves it
SHAPES = {"W1": (FILTERS, 1, SIZE, SIZE), "b1": (FILTERS,), "W2": (10, FILTERS * 4 * 4), "b2": (10,)}


class TestCNNDigits(GradedTest):
    @partial_credit(10)
    @number("3.6.1")
    @time_limit(240)  # a naive 4-loop convolution grades in ~45–50 s (2 cores): fair, and still bounded
    def test_digits(self, set_score=None):
        """3.6 your CNN trained on digits (8 filters 5×5, Adam, 4 epochs) reaches 96 % test accuracy"""
        s = self.scorer(set_score)
        X_train, y_train, X_test, y_test = load_digits_split()
        # classes renamed with a seed only this file knows: parameters trained
        # elsewhere on the public digits labels score like chance
        y_train, y_test = permute_labels(RELABEL_SEED, y_train, y_test)
        X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)

        def trained():  # -> test accuracy
            params = self.call_or_fail("conv.init_cnn", (1, 8, 8), FILTERS, SIZE, 10, seed=0)
            if type(params) is not dict:
                raise CheckFailed("init_cnn must return a dict")
            loss_fn = FunctionRef("student:conv.cnn_loss_and_grads", {"reg": REG})
            got = self.call_or_fail("@minibatch_train", loss_fn, params, X_train, y_train,
                                    **TRAIN, call_timeout=200)
            if type(got) not in (tuple, list) or len(got) != 2:
                raise CheckFailed("training returned something other than (params, losses)")
            reason = check_param_dict(got[0], SHAPES, "trained params")
            if reason:
                raise CheckFailed(reason)
            # the reference's forward, here: the test images are never sent to the worker
            scores = self.expected("conv.cnn_forward", got[0], X_test)
            return float(np.mean(np.argmax(scores, axis=1) == y_test))

        s.accuracy_tiers(5, trained, HALF, FULL)
        s.finish()
