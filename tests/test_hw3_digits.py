"""hw3's 3.6 grades training on the trusted side (issue 12 item 1), run with an in-process client.

The hidden test trains the reference's initial CNN with ``trusted.minibatch_train``
on a split of the digits that only this run knows, calling the "student's"
``cnn_loss_and_grads`` (here: Python functions in this process) once per
batch. What the student's function sees is recorded and checked: rows and
labels that the public ``digits.npz`` does not give away; what it returns is
judged: a non-gradient is refused, a gradient off by a constant factor (Adam
does not see a scale) is not charged a second time.
"""

from pathlib import Path

import numpy as np
import pytest

from autograder.authoring.question import questions_in
from autograder.data import load_digits_split
from autograder.grading.runner import load_test_modules, run_question
from test_authoring import REFERENCE, InProcessClient

ROOT = Path(__file__).resolve().parents[1]
MODULE = next(m for m in load_test_modules(ROOT / "assignments" / "hw3_cnn" / "hidden_tests")[0]
              if m.__name__.endswith("test_q3_6_digits"))
(SPEC,) = questions_in(MODULE)
reference_loss = REFERENCE("conv.cnn_loss_and_grads")


def grade(loss_and_grads, seed):
    """The outcome of 3.6.1 when ``loss_and_grads`` answers for the student's cnn_loss_and_grads."""
    return run_question(SPEC, InProcessClient({"conv.cnn_loss_and_grads": loss_and_grads}), REFERENCE, seed)


def recording():
    """A correct cnn_loss_and_grads that keeps every (X, y) batch it is given."""
    seen = []

    def loss_and_grads(params, X, y, reg=0.0):
        seen.append((np.array(X).reshape(len(X), -1), np.array(y)))
        return reference_loss(params, X, y, reg=reg)

    return loss_and_grads, seen


def image_keys(X):
    """One hashable key per image row (pixels 0..16)."""
    return [tuple(row) for row in np.rint(np.asarray(X) * 16).astype(int)]


@pytest.mark.slow
def test_the_student_sees_a_secret_split_in_a_secret_order_with_renamed_classes():
    X_train, y_train, X_test, y_test = load_digits_split()
    public = dict(zip(image_keys(np.concatenate([X_train, X_test])), np.concatenate([y_train, y_test])))
    public_test = set(image_keys(X_test))
    runs = []
    for seed in (1, 2):
        loss_and_grads, seen = recording()
        outcome = grade(loss_and_grads, seed)
        assert outcome.score == 10, outcome.output
        rows = [key for X, _ in seen for key in image_keys(X)]
        labels = np.concatenate([y for _, y in seen])
        first_epoch = rows[:len(X_train)]
        assert len(set(first_epoch)) > 1400 and set(first_epoch) & public_test   # not the public split
        names = {public[key]: int(label) for key, label in zip(rows, labels)}
        assert sorted(names) == list(range(10)) and names != {c: c for c in range(10)}   # classes renamed
        runs.append((first_epoch, names))
    assert runs[0][0] != runs[1][0]  # another submission, another split and order


@pytest.mark.slow
def test_gradients_that_are_not_the_batch_s_are_refused_and_a_scale_is_not_charged_twice():
    def zeros(params, X, y, reg=0.0):
        return 0.0, {k: np.zeros_like(np.asarray(v, dtype=np.float64)) for k, v in params.items()}

    def steer(params, X, y, reg=0.0):  # "gradients" that pull every weight towards fixed weights
        loss, _ = reference_loss(params, X, y, reg=reg)
        return loss, {k: np.asarray(v, dtype=np.float64) - 0.1 for k, v in params.items()}

    def times_batch(params, X, y, reg=0.0):  # a missing 1/N: Adam steps are the same
        loss, grads = reference_loss(params, X, y, reg=reg)
        return loss, {k: g * len(X) for k, g in grads.items()}

    for cheat in (zeros, steer):
        outcome = grade(cheat, 3)
        assert outcome.score == 0 and "are not those of the batch's loss" in outcome.output, outcome.output
    outcome = grade(times_batch, 3)
    assert outcome.score == 10, outcome.output
