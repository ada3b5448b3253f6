"""Regressions found in review: text that cannot be UTF-8, unnumbered tests, tier messages."""

import json

import pytest

from autograder.grading import grade_submission
from autograder.repo import homework_from_repo
from autograder.grading.checks import CheckFailed
from autograder.grading.results import error_results, validate_results, write_results
from autograder.grading.runner import number_order
from grading_support import by_number, reference_copy


def test_lone_surrogates_in_student_text_are_written_not_fatal(tmp_path):
    data = error_results("your code raised ValueError: \ud800 and \udfff", 0.5)
    path = tmp_path / "results.json"
    write_results(data, path)
    written = json.loads(path.read_text(encoding="utf-8"))
    validate_results(written)
    # written as a visible escape (results.inert), never as the unencodable character itself
    assert "\\ud800" in written["output"] and "\ud800" not in written["output"]


@pytest.mark.slow
def test_a_surrogate_exception_message_costs_only_that_question(tmp_path):
    sub = reference_copy(tmp_path / "sub")
    relu = sub / "nnkit" / "activations.py"
    relu.write_text(relu.read_text() + '\n\ndef relu_forward(x):\n    raise ValueError("\\ud800")\n')
    homework, reference = homework_from_repo("hw1_backprop")
    results = grade_submission(sub, homework, reference, results_path=tmp_path / "results.json")
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert written["score"] == results["score"] < 100
    tests = by_number(written)
    assert tests["1.3.3"]["score"] < tests["1.3.3"]["max_score"]
    assert all(t["status"] == "passed" for n, t in tests.items() if not n.startswith("1.3."))


def test_test_numbers_sort_numerically_and_unnumbered_tests_last():
    numbers = ["1.10", "TestX.test_y", "1.2", "2.1"]
    assert sorted(numbers, key=number_order) == ["1.2", "1.10", "2.1", "TestX.test_y"]


@pytest.mark.slow
def test_parameters_trained_elsewhere_do_not_pass_the_digits_question(tmp_path):
    """A `loss_and_grads` that ignores its batch and steers the grader's loop towards weights trained
    offline on the public labels (2.9 trains on the trusted side; `train` is not used there)."""
    import base64
    import io

    import numpy as np

    from autograder.data import load_digits_split
    from nnkit.network import init_params, loss_and_grads, predict
    from nnkit.optim import train

    X_train, y_train, X_test, y_test = load_digits_split()
    offline, _ = train(init_params([64, 128, 10], seed=1), X_train, y_train,
                       lambda p, X, y: loss_and_grads(p, X, y, reg=1e-4),
                       optimizer="adam", lr=2e-3, epochs=30, seed=1)
    assert np.mean(predict(offline, X_test) == y_test) >= 0.97  # the cheat is worth trying
    buffer = io.BytesIO()
    np.savez(buffer, **offline)
    blob = base64.b64encode(buffer.getvalue()).decode()
    sub = reference_copy(tmp_path / "sub")
    network = sub / "nnkit" / "network.py"
    network.write_text(network.read_text() + f'''

_OFFLINE = "{blob}"


def loss_and_grads(params, X, y, reg=0.0):
    import base64, io
    with np.load(io.BytesIO(base64.b64decode(_OFFLINE))) as data:
        return 0.0, {{k: params[k] - data[k] for k in data.files}}
''')
    homework, reference = homework_from_repo("hw2_training")
    results = grade_submission(sub, homework, reference)
    digits = by_number(results)["2.9.1"]
    assert digits["score"] == 0 and "are not those of the batch's loss" in digits["output"], digits["output"]
