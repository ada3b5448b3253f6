"""``nnkit audit``: verdicts, the printed report, exit status, and the real audit of every homework.

The real audit grades every bank entry with the hidden tests (slow: about
3 s per entry on 2 cores); the rest uses the fake grader of instructor_fakes,
which zeroes every question of a module that differs from the reference.
"""

import shutil

import pytest
from click.testing import CliRunner

from autograder.instructor.audit import (AuditReport, EntryResult, OwnPart, format_audit, judge, own_parts,
                                         points_lost, run_audit)
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
    killed = judge(mutant, _results({**full, "1.3": (17.5, 20)}), None, questions)
    assert killed.verdict == "killed" and killed.failed_tests == ["1.3 q1.3"]
    assert killed.own == [OwnPart("activations.relu_backward", "1.3", 2.5, 1)]  # 20 points / 8 functions
    assert killed.lost_points["1.3"] == 2.5 and killed.lost_points["1.1"] == 0.0
    weak = judge(mutant, _results({**full, "1.3": (19.5, 20)}), None, questions)
    assert weak.verdict == "weak" and not weak.passed  # caught, but for less than relu_backward's part
    collateral = judge(mutant, _results({**full, "1.3": (0, 20), "1.6": (0, 20)}), None, questions)
    assert collateral.verdict == "killed"
    rounded = judge(_entry("hw1_backprop", "buggy", "linear_backward_db_mean"),
                    _results({**full, "1.6": (16.6667, 20)}), None, questions)
    assert rounded.verdict == "killed"  # one gradient's share, 10/3, as results.json rounds it
    elsewhere = judge(mutant, _results({**full, "1.3": (19.5, 20), "1.6": (0, 20)}), None, questions)
    assert elsewhere.verdict == "weak"  # points lost in another question do not count for its own
    assert judge(alternative, _results(full), None, questions).verdict == "ok"
    assert judge(alternative, _results({**full, "1.6": (19.99, 20)}), None, questions).verdict == "lost points"
    errored = judge(mutant, None, "grading took longer than 600 s", questions)
    assert errored.verdict == "error" and not errored.passed
    two = EntryResult(mutant.__class__(**{**mutant.__dict__, "killed_by": ("1.3", "1.6")}),
                      lost_points={"1.3": 3.0, "1.6": 0.0}, own=killed.own)
    assert two.verdict == "survived" and two.survivors_on == ["1.6"]  # every KILLED_BY question must lose


def test_own_parts_and_points_lost(repo_root):
    questions = read_manifest(repo_root, "hw2_training").questions
    init = _entry("hw2_training", "buggy", "init_params_not_he_scaled")
    assert own_parts(init, questions) == [OwnPart("network.init_params", "2.3", 4.0)]  # hw2's manifest shares
    db_mean = _entry("hw1_backprop", "buggy", "linear_backward_db_mean")
    (part,) = own_parts(db_mean, read_manifest(repo_root, "hw1_backprop").questions)
    assert (part.part, part.outputs, part.threshold) == (10.0, 3, 10 / 3)  # dx, dW, db earn credit separately
    shared = [{**q, "shares": {"network.init_params": 2.0}} if q["number"] == "2.3" else q for q in questions]
    assert own_parts(init, shared)[0].part == 2.0
    results = _results({"2.3": (6.0, 10.0), "2.4": (15.0, 15.0)})
    lost = points_lost(results, questions)
    assert lost["2.3"] == 4.0 and lost["2.4"] == 0.0 and lost["2.5"] == 15.0  # a question without tests lost all


def test_format_audit_shows_points_lost_in_the_own_question(repo_root):
    questions = read_manifest(repo_root, "hw1_backprop").questions
    full = {q["number"]: (q["points"], q["points"]) for q in questions}
    mutant = _entry("hw1_backprop", "buggy", "relu_backward_mask_ge")
    report = AuditReport("hw1_backprop", questions, [judge(mutant, _results({**full, "1.3": (19.5, 20)}), None,
                                                           questions)])
    text = format_audit(report)
    assert "WEAK     relu_backward_mask_ge" in text and "1.3 relu_backward −0.5 of 2.5" in text
    assert "WEAK relu_backward_mask_ge" in text and text.endswith("FAIL")


def test_audit_with_fake_grader_reports_and_fails_on_alternatives(repo_root):
    report = run_audit("hw3_cnn", jobs=2, grader=FAKE, dirs=(TESTS / "hw3_cnn", repo_root / "solutions"),
                       pythonpath=(TESTS,), progress=False)
    text = format_audit(report)
    # the fake zeroes the questions of a changed module: every mutant is killed, every alternative loses points
    assert all(r.verdict == "killed" for r in report.mutants()) and len(report.mutants()) >= 10
    assert all(r.verdict == "lost points" for r in report.alternatives()) and not report.passed
    assert "killed 2/2" in text and "LOST POINTS conv_naive_loops" in text and text.endswith("FAIL")
    assert f"mutants killed {len(report.mutants())}/{len(report.mutants())}" in text


def test_audit_of_named_and_pending_entries(repo_root, tmp_path):
    """A pending entry (a mutant not caught yet) is audited only on request; ``names`` picks entries."""
    hw_dir = tmp_path / "assignments" / "hw3_cnn"
    (hw_dir / "bank" / "pending").mkdir(parents=True)
    shutil.copy(repo_root / "assignments" / "hw3_cnn" / "manifest.toml", hw_dir)
    shutil.copytree(repo_root / "assignments" / "hw3_cnn" / "bank" / "correct", hw_dir / "bank" / "correct")
    shutil.copy(_entry("hw3_cnn", "buggy", "conv_backward_crop_pad0").path, hw_dir / "bank" / "pending" / "later.py")
    (tmp_path / "solutions").symlink_to(repo_root / "solutions")
    kw = dict(jobs=2, grader=FAKE, dirs=(TESTS / "hw3_cnn", repo_root / "solutions"), pythonpath=(TESTS,),
              progress=False, root=tmp_path)
    report = run_audit("hw3_cnn", names=("later", "conv_naive_loops"), pending=True, **kw)
    assert sorted((r.entry.kind, r.entry.name) for r in report.results) == [
        ("correct", "conv_naive_loops"), ("pending", "later")]
    assert [r.entry.name for r in report.mutants()] == ["later"] and report.mutants()[0].verdict == "killed"
    with pytest.raises(ValueError, match="no bank entries \\['later'\\]"):
        run_audit("hw3_cnn", names=("later",), **kw)  # pending entries only on request


def test_cli_audit_exit_status(monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS))
    runner = CliRunner()
    result = runner.invoke(audit_command, ["--hw", "nope"])
    assert result.exit_code == 1 and "unknown homework" in result.output
    result = runner.invoke(audit_command, ["--hw", "hw3_cnn", "--grader", FAKE, "--quiet", "--jobs", "2"],
                           env={"PYTHONPATH": str(TESTS)})
    assert result.exit_code == 1 and "LOST POINTS" in result.output


@pytest.mark.slow
@pytest.mark.heavy
@pytest.mark.parametrize("hw", list_homeworks())
def test_real_audit_passes(hw):
    """Every mutant loses points on its KILLED_BY questions and at least its function's part in its own
    question; every alternative keeps full marks; nothing errors."""
    report = run_audit(hw, progress=False)
    assert report.passed, format_audit(report)
