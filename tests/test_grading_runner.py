"""The hidden-test runner and results.json: what reaches Gradescope, whatever the hidden tests do."""

import json
import textwrap

import pytest

from autograder.grading.results import build_results, error_results, validate_results, write_results
from autograder.grading.runner import declared_tests, load_test_modules, run_hidden_tests
from autograder.repo import homework_from_repo, list_homeworks
from test_authoring import REFERENCE, InProcessClient

GOOD = """
import numpy as np
from autograder.authoring import question

@question("9.2.1", points=1, visibility="after_due_date")
def test_add(q):
    \"\"\"add_forward\"\"\"
    q.compare(1, "gates.add_forward", np.ones(2), np.ones(2))
"""


def hidden_dir(tmp_path, files: dict):
    """A hidden_tests/ folder holding ``files`` (name -> source)."""
    hidden = tmp_path / "hidden_tests"
    hidden.mkdir()
    for name, source in files.items():
        (hidden / name).write_text(textwrap.dedent(source))
    return hidden


def test_execution_time_is_a_number_everywhere(tmp_path):
    # gradescope-utils 0.5.0 writes execution_time as a string
    outcomes, _ = run_hidden_tests(hidden_dir(tmp_path, {"test_q9_2_add.py": GOOD}), InProcessClient(), REFERENCE)
    results = build_results(outcomes, "out", 1.25)
    write_results(results, tmp_path / "results.json")
    data = json.loads((tmp_path / "results.json").read_text())
    assert isinstance(data["execution_time"], float)
    assert set(data["tests"][0]) == {"score", "max_score", "status", "name", "name_format", "number", "output",
                                     "output_format", "visibility", "tags"}   # Gradescope's documented fields only
    assert data["tests"][0]["visibility"] == "after_due_date"
    validate_results(data)


def test_a_hidden_test_file_that_breaks_is_reported_and_the_others_still_run(tmp_path):
    hidden = hidden_dir(tmp_path, {
        "test_q9_1_broken.py": "import numpy as np\nraise RuntimeError('data missing')\n",
        "test_q9_2_add.py": GOOD,
        "test_q9_3_classes.py": "import unittest\n\nclass TestOld(unittest.TestCase):\n    def test_x(self):\n        pass\n",
    })
    outcomes, errors = run_hidden_tests(hidden, InProcessClient(), REFERENCE)
    assert [(o.number, o.score) for o in outcomes] == [("9.2.1", 1.0)]
    assert errors[0] == "hidden tests test_q9_1_broken.py failed to load: RuntimeError: data missing"
    assert errors[1].startswith("hidden tests test_q9_3_classes.py define unittest classes (TestOld), which are not run")


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
    numbers = [number for module in modules for number, _ in declared_tests(module)]
    assert len(numbers) == len(set(numbers)), f"a test number is used twice: {sorted(numbers)}"
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
    from autograder.authoring.calls import signature_ok

    train = API["optim"]["train"]
    assert all(signature_ok(sig, sig) for fns in API.values() for sig in fns.values())
    assert signature_ok("(x, inplace=False)", "(x)")                      # an optional extra costs nothing
    assert signature_ok("(params, X, y, loss_fn, optimizer='sgd', lr=0.1, batch_size=32, epochs=10, "
                        "seed=0, **kwargs)", train)                       # no bare *, **kwargs renamed
    assert not signature_ok("(a, b)", "(x, y)")                           # renamed parameters
    assert not signature_ok("(x, y, z)", "(x, y)")                        # an extra required parameter
    assert not signature_ok("(params, X, y, loss_fn, optimizer='sgd')", train)  # missing keywords


