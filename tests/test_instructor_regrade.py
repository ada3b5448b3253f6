"""Regrading a class with an injected fake grader: parallel, resumable, errors as rows, report.

The fake (tests/instructor_fakes.py) runs in the same child process the real
engine would, so everything but the grading itself is exercised here; the
real-engine check is in test_instructor_audit.py.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from autograder.instructor.bank import write_reference
from autograder.instructor.cli import regrade as regrade_command
from autograder.instructor.executor import Grader, Job, grade_all
from autograder.instructor.gradebook import (diagnoses, lost_points, make_row, question_scores, read_gradebook,
                                             write_gradebook)
from autograder.instructor.regrade import regrade, safe_name
from autograder.instructor.report import frequent_mistakes, question_stats, write_report
from autograder.instructor.synthetic import make_export
from autograder.release.manifest import read_manifest

from instructor_fakes import FAKE, TESTS
HW = "hw1_backprop"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def dirs(tmp_path, repo_root):
    """(homework, reference) as the fake grader reads them: the homework folder is named after hw."""
    homework = tmp_path / "hwdirs" / HW
    homework.mkdir(parents=True)
    return homework, repo_root / "solutions"


@pytest.fixture
def questions(repo_root):
    return read_manifest(repo_root, HW).questions


def _run(export, out, dirs, **kw):
    kw.setdefault("jobs", 2)
    return regrade(export, HW, out, grader=FAKE, dirs=dirs, pythonpath=(TESTS,), progress=False, **kw)


def test_regrade_gradebook_results_and_report(tmp_path, dirs, questions):
    made = make_export(tmp_path / "export", HW, 12, seed=1)
    summary = _run(tmp_path / "export", tmp_path / "out", dirs)
    rows = {r["submission_id"]: r for r in read_gradebook(tmp_path / "out" / "gradebook.csv")}
    assert list(rows) == [m["id"] for m in made]
    full = sum(q["points"] for q in questions)
    for m in made:
        row = rows[m["id"]]
        assert (row["name"], row["email"]) == (m["name"], m["email"])
        if m["detail"] == "empty":  # nothing handed in: 0 everywhere, as on Gradescope, with its status
            assert row["status"] == "empty" and "empty" in row["error"] and float(row["total"]) == 0
            assert all(float(row[f"{q['number']} ({q['points']})"]) == 0 for q in questions)
            continue
        results = json.loads((tmp_path / "out" / "results" / m["id"] / "results.json").read_text())
        assert float(row["total"]) == results["score"]
        if m["kind"] == "correct":
            assert float(row["total"]) == full
        if m["kind"] == "buggy":  # the fake zeroes the questions of the patched module
            assert float(row["total"]) < full
        per_question = sum(float(row[f"{q['number']} ({q['points']})"]) for q in questions)
        assert per_question == pytest.approx(float(row["total"]))
    empty = sum(1 for r in summary.rows if r.status == "empty")  # nothing to run: neither graded nor an error
    assert empty >= 1 and summary.graded == 12 - summary.errors - empty and summary.reused == 0
    html = (tmp_path / "out" / "report.html").read_text()
    for png in ("score_histogram", "questions", "mistakes"):
        assert f'src="plots/{png}.png"' in html
        assert (tmp_path / "out" / "plots" / f"{png}.png").read_bytes().startswith(PNG)
    assert "off by a constant factor" in html


def test_rerun_skips_graded_and_regrades_missing(tmp_path, dirs):
    make_export(tmp_path / "export", HW, 6, seed=2)
    first = _run(tmp_path / "export", tmp_path / "out", dirs, report=False)
    graded = [r.id for r in first.rows if not r.error]
    victim = tmp_path / "out" / "results" / graded[0] / "results.json"
    stamp = (tmp_path / "out" / "results" / graded[1] / "results.json").stat().st_mtime_ns
    victim.unlink()
    second = _run(tmp_path / "export", tmp_path / "out", dirs, report=False)
    assert second.graded == 1 and second.reused == len(graded) - 1
    assert victim.is_file()
    assert (tmp_path / "out" / "results" / graded[1] / "results.json").stat().st_mtime_ns == stamp
    assert [r.total for r in second.rows] == [r.total for r in first.rows]


def test_hang_crash_and_raise_are_error_rows_and_the_run_goes_on(tmp_path, dirs):
    export = tmp_path / "export"
    for name, marker in (("a_ok", None), ("b_hang", "HANG"), ("c_crash", "CRASH"), ("d_raise", "RAISE")):
        write_reference(export / name, HW)
        if marker:
            (export / name / marker).write_text("1")
    summary = _run(export, tmp_path / "out", dirs, timeout=5, jobs=4, report=False)
    errors = {r.id: r.error for r in summary.rows}
    assert errors["a_ok"] is None
    assert "longer than 5 s" in errors["b_hang"]
    assert "exit status 7" in errors["c_crash"]
    assert "RuntimeError: the fake grader failed on purpose" in errors["d_raise"]
    rows = {r["submission_id"]: r for r in read_gradebook(tmp_path / "out" / "gradebook.csv")}
    assert rows["b_hang"]["status"] == "error" and rows["a_ok"]["status"] == "graded"
    assert not (tmp_path / "out" / "results" / "b_hang" / "results.json").exists()


def test_parallel_grading_overlaps(tmp_path, dirs):
    """With 2 workers two gradings run at once: each waits at a barrier for the other (no clock asserted)."""
    jobs = []
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    for name in ("a", "b"):
        write_reference(tmp_path / name, HW)
        (tmp_path / name / "BARRIER").write_text(f"{meeting} 2")
        jobs.append(Job(name, tmp_path / name, tmp_path / "out" / name / "results.json"))
    outcomes = grade_all(jobs, Grader(*dirs, grader=FAKE, pythonpath=(TESTS,)), workers=2, progress=False)
    assert [o.results["score"] for o in outcomes] == [100, 100]   # a lone grading scores 0 at the barrier


def test_ctrl_c_keeps_what_is_graded(tmp_path, dirs):
    export = tmp_path / "export"
    write_reference(export / "a_fast", HW)
    write_reference(export / "b_slow", HW)
    (export / "b_slow" / "HANG").write_text("1")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    code = ("import sys; from pathlib import Path; from autograder.instructor.regrade import regrade; "
            f"s = regrade(Path({str(export)!r}), {HW!r}, Path({str(tmp_path / 'out')!r}), jobs=2, "
            f"grader={FAKE!r}, dirs=(Path({str(dirs[0])!r}), Path({str(dirs[1])!r})), progress=False, report=False); "
            "sys.exit(130 if s.interrupted else 0)")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    done = tmp_path / "out" / "results" / "a_fast" / "results.json"
    deadline = time.monotonic() + 30
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert done.exists()
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    rows = {r["submission_id"]: r for r in read_gradebook(tmp_path / "out" / "gradebook.csv")}
    assert rows["a_fast"]["status"] == "graded" and rows["b_slow"]["error"] == "interrupted before grading"
    assert json.loads(done.read_text())["score"] == 100


def test_cli_regrade_and_bad_input(tmp_path, dirs, monkeypatch):
    import autograder.instructor.regrade as module

    monkeypatch.setattr(module, "homework_dirs", lambda hw: dirs)
    monkeypatch.syspath_prepend(str(TESTS))
    make_export(tmp_path / "export", HW, 4, seed=0)
    runner = CliRunner()
    result = runner.invoke(regrade_command, [str(tmp_path / "export"), "--hw", HW, "--out", str(tmp_path / "out"),
                                             "--jobs", "2", "--grader", FAKE, "--quiet"],
                           env={"PYTHONPATH": str(TESTS)})
    assert result.exit_code == 0, result.output
    assert "4 submissions" in result.output and (tmp_path / "out" / "gradebook.csv").is_file()
    result = runner.invoke(regrade_command, [str(tmp_path / "empty"), "--hw", HW, "--out", str(tmp_path / "o2")])
    assert result.exit_code == 1 and "does not exist" in result.output
    result = runner.invoke(regrade_command, [str(tmp_path / "export"), "--hw", "hw2", "--out", str(tmp_path / "o3")])
    assert result.exit_code == 1 and "unknown homework 'hw2': expected one of [" in result.output
    assert "hw2_training" in result.output and "Traceback" not in result.output
    (tmp_path / "export" / "submission_metadata.yml").write_text("{{ broken")
    result = runner.invoke(regrade_command, [str(tmp_path / "export"), "--hw", HW, "--out", str(tmp_path / "out"),
                                             "--grader", FAKE, "--quiet"], env={"PYTHONPATH": str(TESTS)})
    assert result.exit_code == 0 and "warning: submission_metadata.yml cannot be read as YAML" in result.output
    assert "0 graded now, 4 already graded, 0 empty (0 points), 0 errors" in result.output  # resumed: unchanged


def test_aggregation_and_diagnoses(questions):
    results = {"score": 7.5, "tests": [
        {"number": "1.1.1", "score": 5, "max_score": 5, "output": ""},
        {"number": "1.1.2", "score": 2.5, "max_score": 10, "output": "dx wrong\nLikely mistake: wrong sign."},
        {"number": "1.10", "score": 0, "max_score": 3, "output": "likely: zero"},  # not part of 1.1
        {"number": "1.3", "score": 0, "max_score": 20, "output": "likely - transposed"},
        {"number": "1.6.2", "score": 1, "max_score": 4,
         "output": "✗ linear_backward: dW: relative error 1; worst entry at index (0, 1): yours 2, expected 1"
                   " — likely off by a factor 2\nthis is likely not your fault"},
    ]}
    scores = question_scores(results, questions)
    assert scores["1.1"] == (7.5, 15) and scores["1.3"] == (0, 20) and scores["1.2"] == (0, 0)
    lost = lost_points(results, questions)
    assert lost["1.1"] and lost["1.3"] and lost["1.2"]  # 1.2 absent: not awarded
    assert diagnoses(results, questions) == {"1.1": ["wrong sign"], "1.3": ["transposed"],
                                             "1.6": ["off by a factor 2"]}
    engine_style = {"tests": [{"number": "1.6.1", "score": 0, "max_score": 6, "output": "\n".join([
        "✓ linear_forward",
        "✗ N = 4 (−2): layers.py could not be imported: SystemExit: 0 (layers.py line 65)",
        "✗ square W (−2): importing layers.py did not finish in time (an infinite loop, or far too slow)",
        "✗ W of shape (d, m) raises ValueError (−1): linear_forward returned an array instead of raising ValueError",
        "✗ linear_backward (−9): dW: relative error 1; worst entry at index (0, 1): yours 2, expected 1",
        "✗ random (−1): linear_forward: 3 of 9 entries wrong; worst at index (2, 0): yours 2.7, expected -0.2",
        "✗ shapes (−1): dx: shape (3, 2), expected (2, 3) — likely transposed"])}]}
    assert diagnoses(engine_style, questions)["1.6"] == [
        "layers.py does not import (SystemExit)", "timeout (an infinite loop or far too slow)",
        "does not raise ValueError on bad input", "dW: wrong values", "linear_forward: wrong values", "transposed"]
    full = {"score": 15, "tests": [{"number": "1.1", "score": 15, "max_score": 15}]}
    assert not lost_points(full, questions)["1.1"]


def test_gradebook_and_report_functions(tmp_path, questions):
    rows = [make_row("s1", {"score": 100, "tests": [{"number": q["number"], "score": q["points"],
                                                      "max_score": q["points"]} for q in questions]},
                     None, questions, "A", "a@x"),
            make_row("s2", {"score": 0, "tests": [{"number": "1.3", "score": 0, "max_score": 20,
                                                   "output": "likely: transposed"}]}, None, questions),
            make_row("s3", None, "grading took longer than 3 s", questions)]
    stats = {s["number"]: s for s in question_stats(rows, questions)}
    assert stats["1.3"]["pass_rate"] == 0.5 and stats["1.3"]["mean"] == 10 and stats["1.3"]["n"] == 2
    assert frequent_mistakes(rows, questions) == {"1.3": [("transposed", 1)]}
    write_gradebook(tmp_path / "g.csv", rows, questions)
    back = read_gradebook(tmp_path / "g.csv")
    assert [r["status"] for r in back] == ["graded", "graded", "error"]
    assert back[2]["error"] == "grading took longer than 3 s" and back[0]["1.6 (20)"] == "20"
    page = write_report(tmp_path, rows, questions, "t").read_text()
    assert "grading took longer than 3 s" in page and "transposed (1)" in page
    assert safe_name("../../etc") == "_.._etc" and safe_name("") == "_"


def test_grader_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="timeout"):
        Grader(tmp_path, tmp_path, timeout=0)
    with pytest.raises(ValueError, match="jobs"):
        grade_all([Job("x", tmp_path, tmp_path / "r.json")], Grader(tmp_path, tmp_path), workers=-1)


@pytest.mark.slow
def test_real_regrade_equals_grading_each_alone(tmp_path):
    """Issue 6's "done when", scaled down (6 submissions, every kind; bench/bench_regrade.py does 50/200)."""
    from autograder.grading import grade_submission
    from autograder.repo import homework_from_repo

    # no infinite loop here: it costs the engine its per-question time limits (~40 s); the fake-grader
    # tests cover a hanging submission
    made = make_export(tmp_path / "export", HW, 6, seed=5, hostile=("sys_exit", "os_exit_in_function"))
    assert {m["kind"] for m in made} == {"correct", "buggy", "alternative", "broken", "hostile"}
    summary = regrade(tmp_path / "export", HW, tmp_path / "out", jobs=2, progress=False)
    rows = {r["submission_id"]: r for r in read_gradebook(summary.gradebook)}
    homework, reference = homework_from_repo(HW)
    for m in made:
        alone = grade_submission(tmp_path / "export" / m["id"], homework, reference)
        row = rows[m["id"]]
        if row["status"] == "empty":  # the empty folder: 0 in the gradebook, and alone it scores 0 too
            assert m["detail"] == "empty" and alone["score"] == 0 and float(row["total"]) == 0
            continue
        assert float(row["total"]) == pytest.approx(alone["score"], abs=1e-4), m
        assert (m["kind"] in ("correct", "alternative")) == (alone["score"] == 100), m


def test_grading_processes_are_reused_and_replaced_after_a_failure(tmp_path, dirs):
    """One long-lived process grades many submissions; after a crash or hang the next one gets a new process."""
    names = ["a", "b", "crash", "c", "hang", "d"]
    jobs = []
    for name in names:
        write_reference(tmp_path / name, HW)
        if name in ("crash", "hang"):
            (tmp_path / name / name.upper()).write_text("1")
        jobs.append(Job(name, tmp_path / name, tmp_path / "out" / name / "results.json"))
    grader = Grader(*dirs, grader=FAKE, pythonpath=(TESTS,), timeout=2)
    outcomes = {o.id: o for o in grade_all(jobs, grader, workers=1, progress=False)}
    assert [outcomes[n].error is None for n in names] == [True, True, False, True, False, True]
    assert "died (exit status 7)" in outcomes["crash"].error and "longer than 2 s" in outcomes["hang"].error
    # the same grader works again after close(), and pays no start-up for the second of two jobs
    again = grade_all([Job("e", tmp_path / "a", tmp_path / "out2" / "e.json"),
                       Job("f", tmp_path / "b", tmp_path / "out2" / "f.json")], grader, workers=1, progress=False)
    assert [o.results["score"] for o in again] == [100, 100]
    assert again[1].seconds < again[0].seconds
