"""2.9 Training on handwritten digits (10 points).

What is graded here is that the student's ``loss_and_grads`` trains a
network; ``init_params`` is graded in 2.3 and ``train`` in 2.6, so their
bugs cost there, once. Everything that decides the grade runs on the
trusted side, nothing in the worker that the submission could replace:

- the parameters start from the reference ``init_params`` (a seed drawn per
  submission) and never leave this process;
- the grader's own Adam loop (``trusted.minibatch_train``, cosine-annealed)
  sends the worker one minibatch at a time, in an order drawn per submission,
  with the ten classes renamed by a permutation drawn per submission, and
  asks the student's ``loss_and_grads`` for the gradients;
- at the first update and at secret ones (one in CHECK_EVERY, drawn per
  submission) the student's gradients are compared with the reference's at
  the same parameters and batch: their direction must agree (cosine ≥ 0.99,
  over all parameters together; checking every update doubled the time).
  A scale error (a missing 1/N) trains as well under Adam and is charged in
  2.4 only, as are small slips (biases regularised); gradients that steer
  the parameters towards weights trained elsewhere, or the zeros of a
  memoriser, fail;
- the test accuracy is the reference ``predict`` on the public test split,
  whose images never reach the worker.

The split is the public one: the bar is issue 2's, 97 %, and over 24
random 80/20 splits of all 1797 digits the reference (Adam, 30 epochs of
32) reached only 96.4 % (min) / 98.0 % (mean), as the 359 test images alone
make ±0.7 % of noise; on the public split, with this configuration (240
updates of batches of 128), the minimum over 16 per-submission seeds was
98.05 % (mean 98.45 %). Knowing the split or the public labels buys
nothing: the student's code never sees the test images, and it returns only
gradients, which must be the loss's own. Each update is one round trip to
the worker (a loaded machine makes them slow): this question grades the
reference in about 0.8 s at load 4 on 2 cores.
"""

import itertools

import numpy as np

from autograder.authoring import CheckFailed, question
from autograder.data import load_digits_split, permute_labels
from autograder.grading.client import StudentCallFailed
from autograder.grading.trusted import checked_pair, minibatch_train

FULL, HALF = 0.97, 0.85
SIZES = [64, 128, 10]
REG = 1e-4
TRAIN = dict(lr=8e-3, epochs=20, batch_size=128, cosine=True)   # 240 updates
MIN_COSINE = 0.99
CHECK_EVERY = 8


def flat_grads(pair, params) -> np.ndarray | None:
    """All gradients of a ``(loss, grads)`` answer as one vector (keys of ``params``), or None if malformed."""
    if type(pair) not in (tuple, list) or len(pair) != 2 or type(pair[1]) is not dict:
        return None
    grads = [pair[1].get(key) for key in sorted(params)]
    if not all(type(g) is np.ndarray and g.shape == params[key].shape for g, key in zip(grads, sorted(params))):
        return None
    return np.concatenate([np.asarray(g, dtype=np.float64).ravel() for g in grads])


def verified_loss(q, checked: set):
    """``loss_fn(params, X, y)``: the student's ``loss_and_grads`` in the worker; at the updates in
    ``checked`` its gradients must point the way the reference's do on the same parameters and
    batch. CheckFailed otherwise, or when the answer is unusable (the loop's own check, made here
    so that the reason names a wrong function it builds on, ``q.blame``, from this batch)."""
    updates = itertools.count()

    def loss_fn(params, X, y):
        update = next(updates)
        try:
            got = q.student("network.loss_and_grads", params, X, y, reg=REG)
            checked_pair(got, params, "network.loss_and_grads")
        except StudentCallFailed as exc:
            hint = q.blame(exc, "network.loss_and_grads", params, X, y, reg=REG)
            if not hint:
                raise
            raise CheckFailed(f"{exc}{hint}") from None
        mine = flat_grads(got, params)
        if update in checked and mine is not None:
            want = flat_grads(q.expected("network.loss_and_grads", params, X, y, reg=REG), params)
            cosine = float(mine @ want) / max(float(np.linalg.norm(mine) * np.linalg.norm(want)), 1e-300)
            if not cosine >= MIN_COSINE:
                failure = CheckFailed(f"update {update + 1}: the gradients are not those of the batch's loss "
                                      f"(cosine {cosine:.2f} < {MIN_COSINE}); training uses only gradients "
                                      "(2.4 checks them)")
                raise CheckFailed(f"{failure}{q.blame(failure, 'network.loss_and_grads', params, X, y, reg=REG)}")
        return got

    return loss_fn


@question("2.9.1", points=10, time_limit=60)
def test_digits(q):
    """a ReLU network trained with your loss_and_grads on digits (classes renamed) reaches 97 % test accuracy"""
    X_train, y_train, X_test, y_test = load_digits_split()
    y_train, y_test = permute_labels(int(q.rng.integers(2**62)), y_train, y_test)

    updates = TRAIN["epochs"] * -(-len(X_train) // TRAIN["batch_size"])
    checked = {0, *q.rng.choice(updates, size=updates // CHECK_EVERY, replace=False).tolist()}

    def test_accuracy():
        start = q.expected("network.init_params", SIZES, seed=int(q.rng.integers(2**31)))
        params, _ = minibatch_train(verified_loss(q, checked), start, X_train, y_train,
                                    seed=int(q.rng.integers(2**31)), who="network.loss_and_grads", **TRAIN)
        return float(np.mean(q.expected("network.predict", params, X_test) == y_test))

    q.accuracy_tiers(5, test_accuracy, HALF, FULL)
