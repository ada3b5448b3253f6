"""A homework is one folder: issue 10's "done when", in a copy of the repository.

In the copy, a TA adds a homework with ``nnkit new`` plus files inside
``assignments/<new>/`` and the new reference module ``solutions/nnkit/<module>.py``
(a second function, its question with per-gradient partial credit, a bank
mutant), and edits nothing else. The release builds, the grader gives the
reference full marks and the stubs 0, the audit passes, the repository's own
homework-wide tests accept it, and the student release's pytest passes with
correct code. A copy of an existing homework folder under a new name releases
and grades as it is.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from autograder.repo import REPO

pytestmark = pytest.mark.slow

HW, MODULE = "hw9_norm", "norm"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "dist", "__pycache__", ".pytest_cache", ".hypothesis",
                                     "*.egg-info")

# What the TA writes: a second function of the new module ...
SHIFT = '''

def shift_forward(x, gamma, beta):
    """Batch normalisation's learned scale and shift: ``out[n, d] = gamma[d] * x[n, d] + beta[d]``.

    Inputs:
    - x: normalised inputs, shape (N, D)
    - gamma: scales, shape (D,)
    - beta: shifts, shape (D,)

    Returns:
    - out: shape (N, D)
    """
    ### BEGIN SOLUTION
    x, gamma, beta = (np.asarray(a, dtype=np.float64) for a in (x, gamma, beta))
    return x * gamma + beta
    ### END SOLUTION


def shift_backward(dout, x, gamma, beta):
    """Gradients of ``shift_forward``.

    Inputs:
    - dout: upstream gradient, shape (N, D)
    - x, gamma, beta: the inputs of the forward pass

    Returns a tuple of:
    - dx: shape (N, D)
    - dgamma: shape (D,)
    - dbeta: shape (D,)
    """
    ### BEGIN SOLUTION
    dout, x, gamma = (np.asarray(a, dtype=np.float64) for a in (dout, x, gamma))
    return dout * gamma, np.sum(dout * x, axis=0), np.sum(dout, axis=0)
    ### END SOLUTION
'''

# ... its question in the manifest ...
QUESTION = '''
[[questions]]
number = "9.2"
name = "Scale and shift"
points = 8
functions = ["norm.shift_forward", "norm.shift_backward"]
'''

# ... its hidden test, 2 points per gradient ...
HIDDEN = '''"""9.2 Scale and shift (8 points: 2 for the forward, 2 per gradient)."""

from autograder.authoring import question


@question("9.2.1", points=2)
def test_forward(q):
    """shift_forward: gamma * x + beta"""
    x, gamma, beta = q.rng.standard_normal((4, 3)), q.rng.standard_normal(3), q.rng.standard_normal(3)
    q.compare(2, "norm.shift_forward", x, gamma, beta)


@question("9.2.2", points=6)
def test_backward(q):
    """shift_backward: dx, dgamma and dbeta, 2 points each"""
    x, gamma, beta = q.rng.standard_normal((4, 3)), q.rng.standard_normal(3), q.rng.standard_normal(3)
    q.gradients(6, "norm.shift_backward", q.rng.standard_normal((4, 3)), x, gamma, beta, batch=4)
'''

# ... and a mutant the hidden test must catch, with its probe inputs.
MUTANT = '''"""shift_backward forgets to sum dbeta over the batch (returns dout's first row)."""
import numpy as np

MODULE = "norm"
KILLED_BY = ["9.2"]


def shift_backward(dout, x, gamma, beta):
    dout, x, gamma = (np.asarray(a, dtype=np.float64) for a in (dout, x, gamma))
    return dout * gamma, np.sum(dout * x, axis=0), dout[0]
'''

PROBES = '''
_g, _b = _rng.standard_normal(4), _rng.standard_normal(4)
PROBES["shift_forward"] = [((_x, _g, _b), {})]
PROBES["shift_backward"] = [((_dout, _x, _g, _b), {})]
'''


def nnkit(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``nnkit ARGS`` of the copy (``python -m autograder.cli`` run inside it)."""
    done = subprocess.run([sys.executable, "-m", "autograder.cli", *args], cwd=repo, capture_output=True,
                          text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def grade(repo: Path, submission: Path, hw: str, out: Path) -> dict:
    """results.json of ``nnkit grade SUBMISSION --hw HW`` in the copy."""
    nnkit(repo, "grade", str(submission), "--hw", hw, "--results", str(out))
    return json.loads(out.read_text())


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the repository (working tree, no .git/.venv/dist) with the new homework added."""
    copy = tmp_path_factory.mktemp("repo") / "nnkit"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
    made = nnkit(copy, "new", HW, "--module", MODULE, "--number", "9")
    assert f"wrote assignments/{HW}/manifest.toml" in made.stdout
    folder = copy / "assignments" / HW
    append(copy / "solutions" / "nnkit" / f"{MODULE}.py", SHIFT)           # the one reference module
    text = (folder / "manifest.toml").read_text()
    (folder / "manifest.toml").write_text(text.replace("\n# What tests/test_notebooks.py", QUESTION
                                                       + "\n# What tests/test_notebooks.py", 1))
    (folder / "hidden_tests" / "test_q9_2_shift.py").write_text(HIDDEN)
    (folder / "bank" / "buggy" / "shift_backward_dbeta_not_summed.py").write_text(MUTANT)
    append(folder / "bank" / "probes.py", PROBES)
    # as a TA would next: the release (which also refreshes the template and docs/HOMEWORK_API.md)
    nnkit(copy, "release", "--hw", HW, "--out", str(copy.parent / "dist"))
    return copy


def test_a_new_homework_releases_grades_and_audits_with_no_other_edit(repo, tmp_path):
    dist = repo.parent / "dist"
    assert (dist / HW / "student.zip").is_file() and (dist / HW / "autograder.zip").is_file()

    full = grade(repo, repo / "solutions" / "nnkit", HW, tmp_path / "reference.json")
    assert full["score"] == 18 and all(t["score"] == t["max_score"] for t in full["tests"]), full
    stubs = grade(repo, repo / "student_template" / "nnkit", HW, tmp_path / "stubs.json")
    assert stubs["score"] == 0 and len(stubs["tests"]) == 4

    # per-gradient partial credit: a wrong dbeta costs its 2 points, nothing else
    mutant = tmp_path / "mutant" / "nnkit"
    shutil.copytree(repo / "solutions" / "nnkit", mutant, ignore=shutil.ignore_patterns("__pycache__"))
    append(mutant / f"{MODULE}.py", "\n\n" + MUTANT.split("\n\n\n", 1)[1])
    partial = grade(repo, mutant.parent, HW, tmp_path / "mutant.json")
    by_number = {t["number"]: t for t in partial["tests"]}
    assert partial["score"] == 16 and by_number["9.2.2"]["score"] == 4, partial
    assert "dbeta" in by_number["9.2.2"]["output"]

    audit = nnkit(repo, "audit", "--hw", HW, "--quiet", "--jobs", "2")
    assert "mutants killed 2/2; PASS" in audit.stdout, audit.stdout

    # the student release: its pytest passes once the module holds correct code
    student = tmp_path / "student"
    with zipfile.ZipFile(dist / HW / "student.zip") as archive:
        archive.extractall(student)
    shutil.copy(repo / "solutions" / "nnkit" / f"{MODULE}.py", student / HW / "nnkit" / f"{MODULE}.py")
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=student / HW,
                           capture_output=True, text=True, timeout=300)
    assert tests.returncode == 0 and "2 passed" in tests.stdout, tests.stdout + tests.stderr


def test_the_repository_tests_that_cover_every_homework_accept_it(repo):
    """After the release (which refreshes the template and docs/HOMEWORK_API.md, as ``make release``
    does before a commit), the homework-wide tests of the copy (bank, notebooks, API, template)
    pass for the new homework."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not slow",
                           "tests/test_bank.py", "tests/test_notebooks.py", "tests/test_api.py",
                           "tests/test_release_template.py", "-k", f"{HW} or {MODULE} or template or api_document"],
                          cwd=repo, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    for test in (f"test_notebook_is_valid_clean_and_parses[{HW}]", "test_buggy_entry_differs_from_reference",
                 "test_api_signature_is_what_python_sees[norm.shift_backward]", "test_template_",
                 "test_the_api_document_is_current"):
        assert any(test in line and "PASSED" in line for line in done.stdout.splitlines()), test
    assert "SKIPPED" not in done.stdout


def test_a_copy_of_a_homework_folder_releases_and_grades_with_no_other_edit(repo, tmp_path):
    shutil.copytree(repo / "assignments" / "hw1_backprop", repo / "assignments" / "hw1_again",
                    ignore=shutil.ignore_patterns("__pycache__"))
    nnkit(repo, "release", "--hw", "hw1_again", "--out", str(tmp_path / "dist"))
    assert (tmp_path / "dist" / "hw1_again" / "autograder.zip").is_file()
    results = grade(repo, repo / "solutions" / "nnkit", "hw1_again", tmp_path / "results.json")
    assert results["score"] == 100 and all(t["score"] == t["max_score"] for t in results["tests"])
    # the notebook tests find the copy's notebook by its manifest (hw1_backprop.ipynb in hw1_again/)
    done = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not slow",
                           "tests/test_notebooks.py", "-k", "hw1_again or generated_from_source"],
                          cwd=repo, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    for test in ("test_committed_notebooks_are_generated_from_source",
                 "test_notebook_is_valid_clean_and_parses[hw1_again]",
                 "test_student_version_is_valid_and_stops_before_each_check[hw1_again]"):
        assert any(test in line and "PASSED" in line for line in done.stdout.splitlines()), test


def test_new_refuses_names_it_cannot_use(repo):
    from autograder.instructor.new import create_homework

    with pytest.raises(ValueError, match=f"assignments/{HW}/ exists already"):
        create_homework(repo, HW, MODULE)
    with pytest.raises(ValueError, match="use lower-case letters, digits and _"):
        create_homework(repo, "Hw-10", "x")
    with pytest.raises(ValueError, match="lower-case Python identifier"):
        create_homework(repo, "hw10_x", "class")
    assert not (repo / "assignments" / "hw10_x").exists()
    done = nnkit(repo, "new", HW, "--module", MODULE, check=False)   # the command says it, without a traceback
    assert done.returncode == 1 and "exists already" in done.stderr and "Traceback" not in done.stderr


def test_scaffold_templates_fill_every_placeholder():
    from autograder.instructor.new import scaffold_files

    files = scaffold_files("hw7_demo", "demo", 7, "Homework 7: demo")
    for name, text in files.items():
        assert not any(f"${key}" in text for key in ("hw", "module", "number", "title")), name
    assert 'number = "7.1"' in files["assignments/hw7_demo/manifest.toml"]
    assert '@question("7.1.2", points=6)' in files["assignments/hw7_demo/hidden_tests/test_q7_1_demo.py"]
    assert textwrap.dedent("""\
        MODULE = "demo"
        KILLED_BY = ["7.1"]""") in files["assignments/hw7_demo/bank/buggy/scale_backward_dw_mean.py"]
