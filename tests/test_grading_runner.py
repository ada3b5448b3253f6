"""The hidden-test runner and results.json: gradescope-utils 0.5.0's bugs must not reach us."""

import json
import unittest

import pytest
from gradescope_utils.autograder_utils.decorators import number, partial_credit, visibility, weight

from autograder.repo import homework_from_repo, list_homeworks
from autograder.grading.results import build_results, error_results, validate_results, write_results
from autograder.grading.runner import declared_tests, load_test_modules, run_test_class


class SetUpClassFails(unittest.TestCase):
    __test__ = False  # run by our runner below, not by pytest

    @classmethod
    def setUpClass(cls):
        raise RuntimeError("data missing")

    @weight(2)
    @number("9.1")
    def test_a(self):
        pass

    @weight(3)
    @number("9.2")
    def test_b(self):
        pass


class SubTests(unittest.TestCase):
    __test__ = False  # run by our runner below, not by pytest

    @weight(4)
    @number("9.3")
    def test_with_failing_subtest(self):
        """sub-tests: one of three fails"""
        for i in range(3):
            with self.subTest(case=i):
                self.assertNotEqual(i, 1, "case 1 is wrong")

    @weight(1)
    @number("9.4")
    @visibility("after_due_date")
    def test_passes(self):
        pass


class Partial(unittest.TestCase):
    __test__ = False  # run by our runner below, not by pytest

    calls = 0

    @partial_credit(10)
    @number("9.5")
    def test_partial(self, set_score=None):
        Partial.calls += 1
        if Partial.calls == 1:
            set_score(7)
        raise AssertionError("second run sets no score")


def test_set_up_class_exception_keeps_every_test_failed_with_the_reason():
    # gradescope-utils issue #40: results.json ends up empty
    outcomes = run_test_class(SetUpClassFails)
    assert [(o.number, o.score, o.max_score, o.status) for o in outcomes] == [
        ("9.1", 0.0, 2.0, "failed"), ("9.2", 0.0, 3.0, "failed")]
    assert all("set-up of SetUpClassFails failed: RuntimeError: data missing" in o.output for o in outcomes)


def test_failing_subtest_keeps_the_test_and_fails_it():
    # gradescope-utils issue #5: the test vanishes
    outcomes = {o.number: o for o in run_test_class(SubTests)}
    assert set(outcomes) == {"9.3", "9.4"}
    sub = outcomes["9.3"]
    assert sub.status == "failed" and sub.score == 0 and sub.name == "sub-tests: one of three fails"
    assert "(case=1)" in sub.output and "case 1 is wrong" in sub.output
    assert outcomes["9.4"].score == 1 and outcomes["9.4"].visibility == "after_due_date"


def test_execution_time_is_a_number_everywhere(tmp_path):
    # gradescope-utils 0.5.0 writes execution_time as a string
    results = build_results(run_test_class(SubTests), "out", 1.25)
    write_results(results, tmp_path / "results.json")
    data = json.loads((tmp_path / "results.json").read_text())
    assert isinstance(data["execution_time"], float)
    assert set(data["tests"][0]) == {"score", "max_score", "status", "name", "name_format", "number", "output",
                                     "output_format", "visibility", "tags"}   # Gradescope's documented fields only
    validate_results(data)


def test_partial_credit_score_does_not_leak_into_the_next_run():
    first = run_test_class(Partial)[0]
    second = run_test_class(Partial)[0]
    assert (first.score, first.status) == (7.0, "failed")
    assert (second.score, second.status) == (0.0, "failed")


def test_results_are_validated_and_written_atomically(tmp_path):
    path = tmp_path / "results" / "results.json"
    write_results(error_results("nothing to grade"), path)
    assert json.loads(path.read_text())["score"] == 0
    bad = error_results("x")
    bad["execution_time"] = "1.0"
    with pytest.raises(ValueError, match="execution_time"):
        write_results(bad, path)
    assert json.loads(path.read_text())["output"] == "nothing to grade"  # the old file survives
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]   # no temp file left


@pytest.mark.parametrize("hw", list_homeworks())
def test_hidden_test_points_match_the_manifest(hw):
    homework, _ = homework_from_repo(hw)
    manifest = json.loads((homework / "manifest.json").read_text())
    modules, errors = load_test_modules(homework / "hidden_tests")
    assert errors == []
    points: dict[str, float] = {}
    for module in modules:
        for number, worth in declared_tests(module):
            question = ".".join(number.split(".")[:2])
            points[question] = points.get(question, 0) + worth
    assert points == {q["number"]: pytest.approx(q["points"]) for q in manifest["questions"]}


@pytest.mark.slow
def test_regrade_gives_identical_results(tmp_path):
    from autograder.grading import grade_submission
    from grading_support import append_to, reference_copy

    sub = reference_copy(tmp_path / "sub", modules={"gates", "activations", "jacobians", "layers"})
    append_to(sub / "nnkit" / "activations.py", "hw1_buggy_activations.py")
    homework, reference = homework_from_repo("hw1_backprop")
    runs = [grade_submission(sub, homework, reference) for _ in range(2)]
    for run in runs:
        del run["execution_time"]
    assert runs[0] == runs[1]
    assert 0 < runs[0]["score"] < 100


def test_signature_rules():
    from autograder.api_spec import API
    from autograder.grading.graded import signature_ok

    train = API["optim"]["train"]
    assert all(signature_ok(sig, sig) for fns in API.values() for sig in fns.values())
    assert signature_ok("(x, inplace=False)", "(x)")                      # an optional extra costs nothing
    assert signature_ok("(params, X, y, loss_fn, optimizer='sgd', lr=0.1, batch_size=32, epochs=10, "
                        "seed=0, **kwargs)", train)                       # no bare *, **kwargs renamed
    assert not signature_ok("(a, b)", "(x, y)")                           # renamed parameters
    assert not signature_ok("(x, y, z)", "(x, y)")                        # an extra required parameter
    assert not signature_ok("(params, X, y, loss_fn, optimizer='sgd')", train)  # missing keywords


def test_gradescope_utils_runner_really_has_the_bugs_we_avoid():
    # why runner.py exists: the same classes through gradescope-utils 0.5.0's JSONTestRunner
    import io

    from gradescope_utils.autograder_utils.json_test_runner import JSONTestRunner

    def through_gradescope_utils(cls):
        stream = io.StringIO()
        try:
            JSONTestRunner(stream=stream).run(unittest.defaultTestLoader.loadTestsFromTestCase(cls))
        except Exception:
            pass
        return stream.getvalue()

    assert through_gradescope_utils(SetUpClassFails) == ""                    # #40: no results at all
    data = json.loads(through_gradescope_utils(SubTests))
    assert [t["number"] for t in data["tests"]] == ["9.4"]                     # #5: 9.3 vanished
    assert isinstance(data["execution_time"], str)                             # a string
    ours = build_results(run_test_class(SetUpClassFails) + run_test_class(SubTests), "", 0.1)
    assert [t["number"] for t in ours["tests"]] == ["9.1", "9.2", "9.3", "9.4"]
