"""Infrastructure faults in a regrade are not the student's (issue 13, item 2).

A grading process killed from outside is re-run once; a results.json in which
a grader problem touched a test makes its row ``retry`` in gradebook.csv, and
a rerun regrades exactly those rows (with the fake grader of instructor_fakes).
"""

from __future__ import annotations

import pytest

from autograder.instructor.bank import write_reference
from autograder.instructor.gradebook import read_gradebook
from autograder.instructor.regrade import regrade
from instructor_fakes import FAKE, TESTS

HW = "hw1_backprop"


@pytest.fixture
def dirs(tmp_path, repo_root):
    homework = tmp_path / "hwdirs" / HW
    homework.mkdir(parents=True)
    return homework, repo_root / "solutions"


def _regrade(export, out, dirs):
    return regrade(export, HW, out, grader=FAKE, dirs=dirs, pythonpath=(TESTS,), progress=False, report=False, jobs=2)


def test_grader_problem_rows_are_retry_and_a_rerun_regrades_exactly_them(tmp_path, dirs):
    export = tmp_path / "export"
    for name in ("a_ok", "b_problem", "c_ok"):
        write_reference(export / name, HW)
    (export / "b_problem" / "PROBLEM").touch()
    first = _regrade(export, tmp_path / "out", dirs)
    rows = {r["submission_id"]: r for r in read_gradebook(tmp_path / "out" / "gradebook.csv")}
    assert rows["b_problem"]["status"] == "retry" and "grader problem" in rows["b_problem"]["error"]
    assert rows["a_ok"]["status"] == rows["c_ok"]["status"] == "graded"
    assert first.graded == 3
    second = _regrade(export, tmp_path / "out", dirs)
    assert second.graded == 1 and second.reused == 2   # exactly the retry row
    rows = {r["submission_id"]: r for r in read_gradebook(tmp_path / "out" / "gradebook.csv")}
    assert rows["b_problem"]["status"] == "graded" and float(rows["b_problem"]["total"]) == 100


def test_a_grading_process_killed_from_outside_is_rerun(tmp_path, dirs):
    export = tmp_path / "export"
    write_reference(export / "a_killed", HW)
    (export / "a_killed" / "KILLONCE").touch()
    summary = _regrade(export, tmp_path / "out", dirs)
    assert (export / "a_killed" / "KILLONCE.done").exists()   # it was killed once
    assert summary.errors == 0 and summary.rows[0].total == 100
