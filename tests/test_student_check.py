"""``nnkit check FOLDER``: the student tool (autograder/student/check.py) run from the repository.

In the repository it checks the gradients of every homework's
``assignments/*/student_checks.py`` on the folder's ``nnkit/``. It runs in a
subprocess: the tool puts the folder's ``nnkit`` first on ``sys.path``, which
must not leak into this process (where ``nnkit`` is the reference).
"""

from __future__ import annotations

import subprocess
import sys

from autograder.student.check import load_gradient_checks
from grading_support import ROOT, append_to, reference_copy


def nnkit_check(folder) -> subprocess.CompletedProcess:
    """``nnkit check FOLDER`` (``python -m autograder.cli check``) in the repository."""
    return subprocess.run([sys.executable, "-m", "autograder.cli", "check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_nnkit_check_passes_every_gradient_row_of_the_reference(tmp_path):
    done = nnkit_check(reference_copy(tmp_path / "hw"))
    n = len(load_gradient_checks())  # in the repository: every assignments/*/student_checks.py
    assert n > 0
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{n} of {n} checks pass" in done.stdout


def test_nnkit_check_names_the_wrong_gradient(tmp_path):
    folder = reference_copy(tmp_path / "hw")
    append_to(folder / "nnkit" / "layers.py", "hw1_buggy_layers.py")
    done = nnkit_check(folder)
    assert done.returncode == 1, done.stdout + done.stderr
    rows = [ln for ln in done.stdout.splitlines() if "linear_backward" in ln and "gradients vs numeric" in ln]
    assert rows and all(row.endswith("FAIL") for row in rows), done.stdout


def test_nnkit_check_without_an_nnkit_folder_says_where_to_run_it(tmp_path):
    done = nnkit_check(tmp_path)
    assert done.returncode == 2
    assert f"no nnkit/ folder in {tmp_path}" in done.stderr and "Traceback" not in done.stderr
