"""One wrong answer per function: each lost part says exactly what was wrong (in process, hw1)."""

import shutil

import pytest

from autograder.grading import grade_submission
from autograder.repo import homework_from_repo
from grading_support import FIXTURES, by_number

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    sub = tmp_path_factory.mktemp("sub")
    shutil.copy2(FIXTURES / "hw1_wrong_returns_activations.py", sub / "activations.py")
    homework, reference = homework_from_repo("hw1_backprop")
    return by_number(grade_submission(sub, homework, reference))


@pytest.mark.parametrize("number,message", [
    ("1.3.1", "sigmoid_forward: dtype float32, expected float64"),
    ("1.3.1", "sigmoid_backward has the signature sigmoid_backward(dout, x, cache); its docstring in activations.py "
              "gives sigmoid_backward(dout, x)"),
    ("1.3.2", "tanh_forward: expected a numpy array of shape (2, 4), got None (a missing return?)"),
    ("1.3.2", "activations.py has no function tanh_backward"),
    ("1.3.3", "relu_forward: shape (1, 2, 4), expected (2, 4)"),
    ("1.3.4", "leaky_relu_forward: contains nan at index (0, 0)"),
])
def test_reasons(results, number, message):
    assert message in results[number]["output"]


def test_right_parts_keep_their_points(results):
    assert 0 < results["1.3.3"]["score"] < results["1.3.3"]["max_score"]   # relu_backward is right
    assert results["1.1.1"]["score"] == 0 and "could not be imported" in results["1.1.1"]["output"]


def test_a_stub_in_a_carried_module_is_named(tmp_path):
    from grading_support import ROOT, reference_copy

    sub = reference_copy(tmp_path / "sub", modules={"activations", "layers", "losses", "network", "optim", "preprocess"})
    shutil.copy2(ROOT / "student_template" / "nnkit" / "layers.py", sub / "nnkit" / "layers.py")  # hw1's layers left a stub
    homework, reference = homework_from_repo("hw2_training")
    results = by_number(grade_submission(sub, homework, reference))
    assert ("network.forward calls a function of layers.py that is not implemented yet"
            in results["2.3.2"]["output"])
    assert "your layers.py from an earlier homework" in results["2.3.2"]["output"]
    assert results["2.5.1"]["status"] == "passed"   # optim does not need layers
