"""``nnkit audit``: verdicts, the printed report, exit status, and the real audit of every homework.

The real audit grades every bank entry with the hidden tests (slow: about
3 s per entry on 2 cores); the rest uses the fake grader of instructor_fakes,
which zeroes every question of a module that differs from the reference.
"""

import pytest
from click.testing import CliRunner

from autograder.instructor.audit import EntryResult, format_audit, judge, run_audit
from autograder.instructor.bank import load_bank
from autograder.instructor.cli import audit as audit_command
from autograder.release.manifest import read_manifest
from autograder.repo import list_homeworks

from instructor_fakes import FAKE, TESTS


def _entry(hw, kind, name):
    return next(e for e in load_bank(hw, kind) if e.name == name)


def _results(scores):
    return {"score": sum(s for s, _ in scores.values()),
            "tests": [{"number": n, "name": f"q{n}", "score": s, "max_score": m} for n, (s, m) in scores.items()]}


def test_verdicts(repo_root):
    questions = read_manifest(repo_root, "hw1_backprop").questions
    full = {q["number"]: (q["points"], q["points"]) for q in questions}
    mutant = _entry("hw1_backprop", "buggy", "relu_backward_mask_ge")  # KILLED_BY 1.3
    alternative = _entry("hw1_backprop", "correct", "linear_einsum")
    assert judge(mutant, _results(full), None, questions).verdict == "survived"
    killed = judge(mutant, _results({**full, "1.3": (19.5, 20)}), None, questions)
    assert killed.verdict == "killed" and killed.failed_tests == ["1.3 q1.3"]
    collateral = judge(mutant, _results({**full, "1.3": (0, 20), "1.6": (0, 20)}), None, questions)
    assert collateral.verdict == "killed"
    assert judge(alternative, _results(full), None, questions).verdict == "ok"
    assert judge(alternative, _results({**full, "1.6": (19.99, 20)}), None, questions).verdict == "lost points"
    errored = judge(mutant, None, "grading took longer than 600 s", questions)
    assert errored.verdict == "error" and not errored.passed
    two = EntryResult(mutant.__class__(**{**mutant.__dict__, "killed_by": ("1.3", "1.6")}),
                      lost={"1.3": True, "1.6": False})
    assert two.verdict == "survived" and two.survivors_on == ["1.6"]  # every KILLED_BY question must lose


def test_audit_with_fake_grader_reports_and_fails_on_alternatives(repo_root):
    report = run_audit("hw3_cnn", jobs=2, grader=FAKE, dirs=(TESTS / "hw3_cnn", repo_root / "solutions"),
                       pythonpath=(TESTS,), progress=False)
    text = format_audit(report)
    # the fake zeroes the questions of a changed module: every mutant is killed, every alternative loses points
    assert all(r.verdict == "killed" for r in report.mutants()) and len(report.mutants()) >= 10
    assert all(r.verdict == "lost points" for r in report.alternatives()) and not report.passed
    assert "killed 2/2" in text and "LOST POINTS conv_naive_loops" in text and text.endswith("FAIL")
    assert f"mutants killed {len(report.mutants())}/{len(report.mutants())}" in text


def test_cli_audit_exit_status(monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS))
    runner = CliRunner()
    result = runner.invoke(audit_command, ["--hw", "nope"])
    assert result.exit_code == 1 and "unknown homework" in result.output
    result = runner.invoke(audit_command, ["--hw", "hw3_cnn", "--grader", FAKE, "--quiet", "--jobs", "2"],
                           env={"PYTHONPATH": str(TESTS)})
    assert result.exit_code == 1 and "LOST POINTS" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("hw", list_homeworks())
def test_real_audit_passes(hw):
    """Every mutant loses points on its KILLED_BY questions, every alternative keeps full marks."""
    report = run_audit(hw, progress=False)
    assert report.passed, format_audit(report)
