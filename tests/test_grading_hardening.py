"""Regressions found in review: text that cannot be UTF-8, unnumbered tests, tier messages."""

import json

import pytest

from autograder.grading import grade_submission, homework_from_repo
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
    assert "\ufffd" in written["output"] and "\ud800" not in written["output"]


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


def test_accuracy_tiers_name_the_bar_each_part_needs():
    from autograder.grading.graded import Scorer

    class FakeTest:
        pass

    scorer = Scorer(FakeTest())
    scorer.accuracy_tiers(5, lambda: 0.83, half=0.85, full=0.97)
    assert scorer.earned == 0 and scorer.total == 10
    assert "expected at least 85%" in scorer.lines[0]
    scorer = Scorer(FakeTest())
    scorer.accuracy_tiers(5, lambda: 0.90, half=0.85, full=0.97)
    assert scorer.earned == 5 and "expected at least 97%" in scorer.lines[1]
