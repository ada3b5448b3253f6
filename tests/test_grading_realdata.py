"""The real-data questions (2.9, 3.6) grade training, not a lookup table.

The red team found that both questions computed the test accuracy with what
the submission's own code returned (``predict`` / ``cnn_forward`` on the test
images, sent to the worker): a ``train`` (or ``cnn_loss_and_grads``) that only
memorises the training data plus a 1-nearest-neighbour ``predict`` (or
``cnn_forward``) scored full marks without training anything. Now the test
images never leave the trusted side: the trained parameters are checked
(``checks.check_param_dict``) and run through the reference's forward pass.

Each case grades the whole homework with ``grade_submission``: the memoriser
scores 0 on the real-data question, the reference full marks.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograder.data import load_digits_split
from autograder.grading import grade_submission
from autograder.repo import homework_from_repo
from autograder.grading.checks import check_param_dict
from grading_support import question_score, reference_copy

# Appended to the reference modules (later definitions win). The memory lives in
# ``builtins`` so that one module's training feeds another module's prediction,
# as it can in the single worker that runs a whole submission.
_NEAREST = '''
import builtins as _builtins


def _nearest_labels(X):
    """1-nearest neighbour over everything seen in training (no parameters learnt)."""
    flat = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    seen = [(a.reshape(len(a), -1), b) for a, b in _builtins._nnkit_memo if a[0].size == flat.shape[1]]
    seen_X = np.concatenate([a for a, _ in seen])
    seen_y = np.concatenate([b for _, b in seen])
    d2 = (flat * flat).sum(1)[:, None] - 2.0 * flat @ seen_X.T + (seen_X * seen_X).sum(1)[None, :]
    return seen_y[np.argmin(d2, axis=1)]
'''

MEMORISERS = {
    "hw2_training": {
        "network": _NEAREST + '''

_reference_predict = predict


def loss_and_grads(params, X, y, reg=0.0):
    if not hasattr(_builtins, "_nnkit_memo"):
        _builtins._nnkit_memo = []
    _builtins._nnkit_memo.append((np.array(X, dtype=np.float64), np.array(y)))
    return 0.0, {k: np.zeros_like(np.asarray(v, dtype=np.float64)) for k, v in params.items()}


def predict(params, X):
    if getattr(_builtins, "_nnkit_memo", None):
        return _nearest_labels(X)
    return _reference_predict(params, X)
''',
    },
    "hw3_cnn": {
        "conv": _NEAREST + '''

_reference_forward = cnn_forward


def cnn_loss_and_grads(params, X, y, reg=0.0):
    if not hasattr(_builtins, "_nnkit_memo"):
        _builtins._nnkit_memo = []
    _builtins._nnkit_memo.append((np.array(X, dtype=np.float64), np.array(y)))
    return 0.0, {k: np.zeros_like(np.asarray(v, dtype=np.float64)) for k, v in params.items()}


def cnn_forward(params, X):
    if getattr(_builtins, "_nnkit_memo", None):
        return np.eye(params["b2"].shape[0])[_nearest_labels(X)]
    return _reference_forward(params, X)
''',
    },
}
QUESTION = {"hw2_training": "2.9", "hw3_cnn": "3.6"}
# why the memoriser fails: hw2 trains it and measures; hw3's trusted loop refuses its zero "gradients"
REFUSED_BY = {"hw2_training": "are not those of the batch's loss", "hw3_cnn": "are not those of the batch's loss"}


def _grade(hw: str, folder) -> dict:
    homework, reference = homework_from_repo(hw)
    return grade_submission(folder, homework, reference)


def _memoriser(hw: str, dest):
    reference_copy(dest)
    for module, code in MEMORISERS[hw].items():
        path = dest / "nnkit" / f"{module}.py"
        path.write_text(path.read_text() + "\n\n# ---- memorise, then 1-NN ----\n" + code)
    return dest


def test_the_attack_is_worth_blocking():
    """1-NN on the memorised training set beats the bars: without the fix it scored full marks."""
    X_train, y_train, X_test, y_test = load_digits_split()
    d2 = (X_test**2).sum(1)[:, None] - 2 * X_test @ X_train.T + (X_train**2).sum(1)[None, :]
    assert np.mean(y_train[np.argmin(d2, axis=1)] == y_test) >= 0.97


@pytest.mark.slow
@pytest.mark.parametrize("hw", sorted(MEMORISERS))
def test_memorise_and_nearest_neighbour_scores_nothing(hw, tmp_path):
    question = QUESTION[hw]
    hostile = _grade(hw, _memoriser(hw, tmp_path / "hostile"))
    score, top = question_score(hostile, question)
    assert top == 10 and score == 0, f"{question}: memoriser scored {score}/{top}"
    failed = [t for t in hostile["tests"] if t["number"].startswith(question + ".")]
    assert all(REFUSED_BY[hw] in t["output"] for t in failed), [t["output"] for t in failed]

    clean = _grade(hw, reference_copy(tmp_path / "reference"))
    assert question_score(clean, question) == (10, 10), [t["output"] for t in clean["tests"]
                                                         if t["number"].startswith(question + ".")]


SHAPES = {"W1": (3, 2), "b1": (3,)}


def _good():
    return {"W1": np.zeros((3, 2)), "b1": np.ones(3)}


class _Sub(np.ndarray):
    pass


@pytest.mark.parametrize("mutate, says", [
    (lambda p: p, None),
    (lambda p: [p["W1"], p["b1"]], "expected a dict"),
    (lambda p: {**p, "W2": np.zeros((1, 3))}, "keys"),
    (lambda p: {"W1": p["W1"]}, "keys"),
    (lambda p: {**p, "W1": p["W1"].T}, "shape (2, 3), expected (3, 2)"),
    (lambda p: {**p, "b1": p["b1"][None, :]}, "shape (1, 3), expected (3,)"),
    (lambda p: {**p, "W1": p["W1"].astype(np.float32)}, "dtype float32"),
    (lambda p: {**p, "b1": np.arange(3)}, "dtype int64"),
    (lambda p: {**p, "W1": p["W1"].view(_Sub)}, "expected a numpy array"),
    (lambda p: {**p, "W1": p["W1"].tolist()}, "expected a numpy array"),
    (lambda p: {**p, "b1": np.array([0.0, np.nan, 1.0])}, "NaN or inf"),
    (lambda p: {**p, "b1": np.array([0.0, np.inf, 1.0])}, "NaN or inf"),
])
def test_check_param_dict(mutate, says):
    reason = check_param_dict(mutate(_good()), SHAPES, "params")
    if says is None:
        assert reason is None
    else:
        assert reason is not None and says in reason, reason


def _steps(cosine: bool) -> np.ndarray:
    """Step sizes of ``minibatch_train`` on a loss with a constant gradient (Adam's step is then ~1)."""
    from autograder.grading.trusted import minibatch_train

    def loss_fn(params, X, y):  # the loss reports where w is before the update
        return float(params["w"][0]), {"w": np.ones(1)}

    params, losses = minibatch_train(loss_fn, {"w": np.zeros(1)}, np.zeros((10, 1)), np.zeros(10),
                                     lr=0.1, epochs=2, batch_size=2, cosine=cosine)
    return -np.diff(losses + [float(params["w"][0])])


def test_minibatch_train_cosine_anneals_the_step_size():
    t = np.arange(10)
    assert np.allclose(_steps(False), 0.1, rtol=1e-6)
    assert np.allclose(_steps(True), 0.1 * 0.5 * (1 + np.cos(np.pi * t / 10)), rtol=1e-6)
