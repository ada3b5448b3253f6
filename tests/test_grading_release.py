"""The real artifacts: dist/<hw>/autograder.zip graded through its own scripts, student.zip's check tool."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.grading.results import validate_results
from autograder.grading.runner import declared_tests, load_test_modules
from grading_support import reference_copy, run_gradescope

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    nnkit = Path(sys.executable).with_name("nnkit")
    subprocess.run([str(nnkit), "release", "--out", str(out)], check=True, capture_output=True, timeout=300)
    return out


def unpack(archive: Path, dest: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest


@pytest.mark.parametrize("submission", ["reference", "stubs"])
def test_autograder_zip_grades_through_its_own_scripts(dist, tmp_path, submission):
    unpack(dist / "hw1_backprop" / "autograder.zip", tmp_path / "source")
    for script in ("setup.sh", "run_autograder"):
        (tmp_path / "source" / script).chmod(0o755)
    if submission == "reference":
        reference_copy(tmp_path / "submission")
    else:  # what a student downloads, handed in untouched
        student = unpack(dist / "hw1_backprop" / "student.zip", tmp_path / "student")
        (tmp_path / "submission").mkdir()
        (student / "hw1_backprop" / "nnkit").rename(tmp_path / "submission" / "nnkit")
    results = run_gradescope(tmp_path)
    validate_results(results)
    modules, _ = load_test_modules(tmp_path / "source" / "homework" / "hidden_tests")
    assert len(results["tests"]) == sum(len(declared_tests(m)) for m in modules) > 0   # every test reported
    assert results["score"] == (100 if submission == "reference" else 0)


def test_student_zip_check_tool_runs_on_the_stubs(dist, tmp_path):
    student = unpack(dist / "hw2_training" / "student.zip", tmp_path) / "hw2_training"
    done = subprocess.run([sys.executable, "-m", "nnkit_check"], cwd=student, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1
    table = done.stdout.splitlines()
    row = next(i for i, ln in enumerate(table) if ln.startswith("2.4") and "loss_and_grads" in ln
               and "gradients vs numeric" in ln)
    assert table[row].endswith("FAIL") and "not implemented yet" in table[row + 1]
    assert table[-1].startswith("0 of ")
