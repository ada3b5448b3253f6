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


# Mutants the hidden tests catch, but for less than their function's part in its own question (issue 11,
# item 2): `nnkit audit` fails them ("WEAK"). Each is listed with what its question must do; most of
# the old tests credit a function's cases separately, so a bug seen in one case costs only that case.
# The hidden tests are being rewritten to the new API: remove an entry here once the audit says it is
# killed. A mutant not listed here must be killed outright.
NOT_YET_STRONG = {
    "hw1_backprop": {},  # hw1's new tests (8acb769) kill every mutant for its whole part
    "hw2_training": {
        "adam_fixed_beta2": "2.5: non-default beta1/beta2 in the case that carries adam_step's part",
        "bce_unstable": "2.2: logits ±1000 must cost binary_cross_entropy's whole part",
        "center_row_means": "2.7: center's cases all-or-nothing",
        "gd_step_ascent": "2.5: gd_step's cases all-or-nothing",
        "hinge_gradient_at_margin": "2.1: a margin of exactly 1 must cost hinge_loss's whole part",
        "init_params_he_fan_out": "2.3: the He scale (fan_in != fan_out) must cost init_params's whole part",
        "init_params_ignores_seed": "2.3: two seeds must give different draws, for init_params's whole part",
        "init_params_not_he_scaled": "2.3: the He scale must cost init_params's whole part",
        "l2_loss_missing_factor_2": "2.1: l2_loss's loss and gradient all-or-nothing",
        "l2_loss_sum_not_mean": "2.1: l2_loss's loss and gradient all-or-nothing",
        "l2_regularization_missing_2": "2.2: the gradient of l2_regularization must carry its part",
        "loss_and_grads_missing_relu_mask": "2.4: every gradient of loss_and_grads checked in one part",
        "loss_and_grads_regularises_biases": "2.4: reg > 0 in the case that carries loss_and_grads's part",
        "minibatch_not_shuffled": "2.6: the shuffle (two seeds differ) must cost minibatch_indices's whole part",
        "momentum_sign_error": "2.5: momentum_step's cases all-or-nothing, w_prev != w",
        "rmsprop_fixed_decay": "2.5: a non-default decay in the case that carries rmsprop_step's part",
        "softmax_global_max_shift": "2.2: rows of very different scale (±1000 in one row only) for softmax_cross_entropy",
        "softmax_unstable": "2.2: scores ±1000 must cost softmax_cross_entropy's whole part",
        "standardize_constant_feature": "2.7: a constant feature must cost standardize's whole part",
        "svm_counts_correct_class": "2.1: svm_loss's cases all-or-nothing",
        "svm_margin_tie_counts": "2.1: a margin of exactly 0 must cost svm_loss's whole part",
        "train_adam_step_count_per_epoch": "2.6: adam over >= 2 epochs, compared with the reference's trajectory",
        "train_momentum_state_is_new_weights": "2.6: momentum over several steps, compared with the reference's trajectory",
        "train_same_shuffle_every_epoch": "2.6: >= 2 epochs of sgd compared with the reference's trajectory",
        "whiten_eps_outside_sqrt": "2.8: a low-variance direction (variance ~ eps) for whiten",
        "whiten_without_eps": "2.8: a zero-variance direction must cost whiten's whole part",
        "zca_missing_rotation_back": "2.8: zca_whiten's cases all-or-nothing",
    },
    "hw3_cnn": {},  # hw3's new tests (428f18e) kill every mutant for its whole part
}


def test_not_yet_strong_names_bank_entries():
    for hw, names in NOT_YET_STRONG.items():
        assert set(names) <= {e.name for e in load_bank(hw, "buggy")}, hw


@pytest.mark.slow
@pytest.mark.parametrize("hw", list_homeworks())
def test_real_audit_passes(hw):
    """Every mutant loses points on its KILLED_BY questions and, unless listed in NOT_YET_STRONG, at least
    its function's part in its own question; every alternative keeps full marks; nothing errors."""
    report = run_audit(hw, progress=False)
    allowed = NOT_YET_STRONG.get(hw, {})
    failing = [r for r in report.results if not r.passed and not (r.verdict == "weak" and r.entry.name in allowed)]
    assert not failing, format_audit(report)
