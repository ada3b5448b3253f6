"""2.6 Minibatches and the training loop (10 points).

``train`` is graded with a loss function of the grader's own (softmax
regression, ``callables.softmax_regression``, run in the worker), so a bug in
the student's network does not cost these points. Minibatch order depends on
the student's RNG, so the exact comparisons use ``gd`` or a batch holding all
of X (any permutation gives the same update); the rest checks properties.
"""

import math

import numpy as np

from autograder.grading.checks import CheckFailed
from autograder.grading.graded import GradedTest, number, partial_credit
from autograder.grading.protocol import FunctionRef

RNG = np.random.default_rng(26)
X = RNG.standard_normal((10, 4))
Y = RNG.integers(0, 3, 10)
PARAMS = {"W": 0.1 * RNG.standard_normal((3, 4)), "b": np.array([0.1, -0.2, 0.05])}
LOSS = FunctionRef("softmax_regression", {"reg": 0.01})
PROBE = FunctionRef("batch_probe")  # its loss tells which samples each batch held


class TestTrainingLoop(GradedTest):
    @partial_credit(4)
    @number("2.6.1")
    def test_minibatch_indices(self, set_score=None):
        """2.6 minibatch_indices: a permutation of range(n) cut in order, last batch smaller"""
        s = self.scorer(set_score)

        def partition(n, bs, seed):
            def check():
                got = self.call_or_fail("optim.minibatch_indices", n, bs, seed)
                if type(got) not in (list, tuple) or not all(type(b) is np.ndarray for b in got):
                    raise CheckFailed(f"expected a list of index arrays, got {type(got).__name__}")
                if not all(b.dtype.kind in "iu" for b in got):
                    raise CheckFailed("index arrays must have an integer dtype")
                sizes = [len(b) for b in got]
                want = [bs] * (n // bs) + ([n % bs] if n % bs else [])
                if sizes != want:
                    raise CheckFailed(f"n = {n}, batch_size = {bs}: batch sizes {sizes}, expected {want}")
                flat = np.concatenate(got) if got else np.array([], dtype=np.int64)
                if sorted(flat.tolist()) != list(range(n)):
                    raise CheckFailed(f"n = {n}: the batches together must hold every index 0..{n - 1} exactly once")
                again = self.call_or_fail("optim.minibatch_indices", n, bs, seed)
                if not all(np.array_equal(a, b) for a, b in zip(got, again)):
                    raise CheckFailed("the same seed must give the same batches")
            return check

        def shuffled():
            orders = []
            for seed in (0, 1):
                got = self.call_or_fail("optim.minibatch_indices", 20, 5, seed)
                orders.append(np.concatenate(got).tolist())
            if orders[0] == list(range(20)):
                raise CheckFailed("seed 0 gave the indices in order 0..19: the permutation is not shuffled")
            if orders[0] == orders[1]:
                raise CheckFailed("seeds 0 and 1 gave the same order: the seed is not used")

        s.part(1.5, "n = 10, batch_size = 3 (n not a multiple)", partition(10, 3, 0))
        s.part(0.5, "n = 8, batch_size = 4", partition(8, 4, 5))
        s.part(0.5, "batch_size > n", partition(3, 5, 1))
        s.part(1.5, "shuffled, and the seed matters", shuffled)
        s.finish()

    @partial_credit(6)
    @number("2.6.2")
    def test_train(self, set_score=None):
        """2.6 train: every optimiser, updates per epoch, unknown optimiser or keyword → ValueError"""
        s = self.scorer(set_score)
        s.part(1, "gd, 3 epochs", lambda: self.compare(
            "optim.train", PARAMS, X, Y, LOSS, optimizer="gd", lr=0.5, epochs=3))
        for opt, hyper in (("sgd", {}), ("momentum", {"momentum": 0.8}), ("nesterov", {"momentum": 0.9}),
                           ("rmsprop", {"decay": 0.9}), ("adam", {"beta1": 0.8})):
            s.part(0.6, f"{opt} {hyper or ''} (one batch per epoch)", lambda opt=opt, hyper=hyper: self.compare(
                "optim.train", PARAMS, X, Y, LOSS, optimizer=opt, lr=0.1, batch_size=16, epochs=4, seed=3, **hyper))

        def counts():
            got = self.call_or_fail("optim.train", PARAMS, X, Y, LOSS, optimizer="sgd", lr=0.1, batch_size=4, epochs=2)
            if type(got) not in (tuple, list) or len(got) != 2:
                raise CheckFailed("train must return (params, losses)")
            params, losses = got
            want = 2 * math.ceil(10 / 4)
            if type(losses) not in (list, tuple) or len(losses) != want:
                raise CheckFailed(f"n = 10, batch_size = 4, 2 epochs: expected {want} losses (one per update), "
                                  f"got {len(losses) if type(losses) in (list, tuple) else type(losses).__name__}")
            if type(params) is not dict or set(params) != set(PARAMS):
                raise CheckFailed("train must return params with the same keys")

        s.part(1, "one loss per update, n not a multiple of batch_size", counts)

        def fresh_shuffles():
            n, bs, epochs = 12, 4, 3
            X = np.column_stack([np.arange(n, dtype=np.float64), np.ones(n)])
            params = {"W": np.zeros((2, 2)), "b": np.zeros(2)}
            got = self.call_or_fail("optim.train", params, X, np.zeros(n, dtype=np.int64), PROBE,
                                    optimizer="sgd", lr=0.1, batch_size=bs, epochs=epochs, seed=0)
            losses = got[1] if type(got) in (tuple, list) and len(got) == 2 else None
            if type(losses) not in (list, tuple) or len(losses) != epochs * n // bs:
                raise CheckFailed("train must return one loss per update")
            batches = [frozenset(i for i in range(n) if int(loss) >> i & 1) for loss in losses]
            per_epoch = [batches[e * 3:(e + 1) * 3] for e in range(epochs)]
            for e, epoch in enumerate(per_epoch):
                if sorted(i for b in epoch for i in b) != list(range(n)):
                    raise CheckFailed(f"epoch {e}: the batches do not cover every sample exactly once")
            if per_epoch[0] == [frozenset(range(k, k + bs)) for k in range(0, n, bs)]:
                raise CheckFailed("the first epoch visits the samples in order: the data is not shuffled")
            if per_epoch[1] == per_epoch[0] or per_epoch[2] == per_epoch[1]:
                raise CheckFailed("two epochs used the same batches: shuffle afresh every epoch (seed + epoch)")

        s.part(1, "a fresh shuffle every epoch", fresh_shuffles)
        s.part(0.5, "unknown optimiser raises ValueError", lambda: self.expect_value_error(
            "optim.train", PARAMS, X, Y, LOSS, optimizer="adagrad"))
        s.part(0.5, "unknown keyword raises ValueError", lambda: self.expect_value_error(
            "optim.train", PARAMS, X, Y, LOSS, optimizer="sgd", momentum=0.9))
        s.finish()
