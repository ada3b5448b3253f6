"""End to end: the real setup.sh and run_autograder against a fake AUTOGRADER_ROOT.

Each case lays out ``source/`` (as autograder.zip unpacks), a submission and
runs Gradescope's two scripts with the Python already on PATH
(NNKIT_SKIP_INSTALL=1), then reads results.json.
"""

import shutil

import pytest

from autograder.grading.results import validate_results
from autograder.release.manifest import read_manifest
from autograder.repo import list_homeworks
from grading_support import FIXTURES, ROOT, append_to, by_number, make_source, question_score, reference_copy, run_gradescope

pytestmark = pytest.mark.slow


def fake_root(tmp_path, hw):
    make_source(tmp_path / "source", hw)
    (tmp_path / "submission").mkdir()
    return tmp_path


def grade(root):
    results = run_gradescope(root)
    validate_results(results)
    assert isinstance(results["execution_time"], float)
    return results


@pytest.mark.parametrize("hw,total", [(hw, sum(q["points"] for q in read_manifest(ROOT, hw).questions))
                                      for hw in list_homeworks(ROOT)])
def test_reference_gets_full_marks(tmp_path, hw, total):
    root = fake_root(tmp_path, hw)
    reference_copy(root / "submission")
    results = grade(root)
    lost = [(t["number"], t["output"]) for t in results["tests"] if t["status"] != "passed"]
    assert lost == []
    assert results["score"] == pytest.approx(total)


def test_stubs_get_zero_with_reasons(tmp_path):
    root = fake_root(tmp_path, "hw1_backprop")
    shutil.copytree(ROOT / "student_template" / "nnkit", root / "submission" / "nnkit")
    results = grade(root)
    assert results["score"] == 0
    assert len(results["tests"]) == 16
    assert all("not implemented yet" in t["output"] for t in results["tests"])


def test_buggy_submission_gets_partial_credit_and_a_diagnosis(tmp_path):
    root = fake_root(tmp_path, "hw1_backprop")
    sub = reference_copy(root / "submission")
    append_to(sub / "nnkit" / "layers.py", "hw1_buggy_layers.py")
    append_to(sub / "nnkit" / "activations.py", "hw1_buggy_activations.py")
    results = grade(root)
    tests = by_number(results)
    assert 0 < results["score"] < 100
    backward = tests["1.6.2"]
    assert 0 < backward["score"] < backward["max_score"]          # dx right, dW and db wrong
    assert "dW: shape (3, 2), expected (2, 3) — likely transposed" in backward["output"]
    assert "db:" in backward["output"] and "N = 4 times too small" in backward["output"]
    relu = tests["1.3.3"]["output"]
    assert "wrong only at kinks" in relu
    assert "twice too large" in tests["1.3.1"]["output"]
    assert "modified its input x (functions must not modify their inputs)" in tests["1.3.2"]["output"]
    assert tests["1.1.1"]["status"] == "passed"                   # other questions untouched


def test_notebook_submission_takes_only_definitions(tmp_path):
    root = fake_root(tmp_path, "hw1_backprop")
    shutil.copy2(FIXTURES / "hw1_gates_notebook.ipynb", root / "submission" / "hw1_backprop.ipynb")
    results = grade(root)
    assert question_score(results, "1.1") == (15, 15)            # the gates defined in cells
    assert question_score(results, "1.3")[0] == 0                # nothing else was defined
    assert "cell 8: SyntaxError" in results["output"]
    assert "modules taken from the notebook" in results["output"]


def test_syntax_error_costs_only_that_module(tmp_path):
    root = fake_root(tmp_path, "hw1_backprop")
    sub = reference_copy(root / "submission")
    shutil.copy2(FIXTURES / "hw1_syntax_error_gates.py", sub / "nnkit" / "gates.py")
    results = grade(root)
    assert question_score(results, "1.1")[0] == 0
    assert question_score(results, "1.2")[0] == 0
    assert results["score"] == pytest.approx(70)
    assert "SyntaxError" in by_number(results)["1.1.1"]["output"]
    assert "gates.py line 4" in by_number(results)["1.1.1"]["output"]


@pytest.mark.parametrize("content", ["empty", "corrupt_notebook"])
def test_empty_or_corrupt_submission_scores_zero_with_a_message(tmp_path, content):
    root = fake_root(tmp_path, "hw1_backprop")
    if content == "corrupt_notebook":
        shutil.copy2(FIXTURES / "corrupt.ipynb", root / "submission" / "hw1_backprop.ipynb")
    results = grade(root)
    assert results["score"] == 0
    assert len(results["tests"]) == 16
    assert "nothing could be graded" in results["output"]
    if content == "corrupt_notebook":
        assert "is not a valid notebook" in results["output"]


def test_run_autograder_leaves_a_valid_results_json_even_if_the_grader_cannot_start(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for script in ("setup.sh", "run_autograder"):
        shutil.copy2(ROOT / "autograder" / "grading" / "gradescope" / script, source / script)
    (source / "runtime-requirements.txt").write_text("")
    (source / "autograder").mkdir()                # a grader that dies on import
    (source / "autograder" / "__init__.py").write_text("raise ImportError('broken grader')\n")
    (tmp_path / "submission").mkdir()
    results = run_gradescope(tmp_path)
    validate_results(results)
    assert results["score"] == 0 and "could not run" in results["output"]
