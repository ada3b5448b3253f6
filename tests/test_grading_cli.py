"""``nnkit grade`` and ``nnkit check`` (= ``python -m nnkit_check`` in the student release)."""

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.grading.cli import format_results
from autograder.release.layout import check_tool_files
from grading_support import ROOT, append_to, reference_copy


@pytest.mark.slow
def test_grade_prints_a_table_and_writes_results(tmp_path):
    sub = reference_copy(tmp_path / "sub", modules={"gates", "activations", "jacobians", "layers"})
    append_to(sub / "nnkit" / "layers.py", "hw1_buggy_layers.py")
    out = tmp_path / "results.json"
    result = CliRunner().invoke(main, ["grade", str(sub), "--hw", "hw1_backprop", "--results", str(out)])
    assert result.exit_code == 0, result.output
    assert ("1.6.2        3.33/10  ✗ linear_backward (−3.33 pts): dW: shape (3, 2), expected (2, 3) — likely transposed"
            in result.output)   # dW and db wrong: 2 of its 3 gradients' shares (10/3 each)
    assert "total    93.33/100" in result.output
    assert json.loads(out.read_text())["score"] == pytest.approx(100 - 20 / 3, abs=1e-3)


def test_grade_rejects_an_unknown_homework(tmp_path):
    result = CliRunner().invoke(main, ["grade", str(tmp_path), "--hw", "hw9"])
    assert result.exit_code != 0 and "unknown homework 'hw9'" in result.output


def test_format_results_shows_first_lost_part():
    results = {"score": 1.0, "execution_time": 0.5, "output": "", "tests": [
        {"number": "1.1.1", "name": "gates", "score": 1.0, "max_score": 2.0, "status": "failed",
         "output": "✓ forward\n✗ backward (−1): dx: wrong sign"}]}
    table = format_results(results)
    assert "1.1.1            1/2  ✗ backward (−1): dx: wrong sign" in table


@pytest.mark.slow
def test_student_check_runs_public_tests_and_diagnoses(tmp_path):
    hw = tmp_path / "hw1_backprop"
    reference_copy(hw, modules={"gates", "activations", "jacobians", "layers"})
    append_to(hw / "nnkit" / "layers.py", "hw1_buggy_layers.py")
    shutil.copytree(ROOT / "assignments" / "hw1_backprop" / "public_tests", hw / "tests")
    from autograder.release.manifest import load_manifest

    files = check_tool_files(ROOT, load_manifest(ROOT, "hw1_backprop"))   # what the release ships as nnkit_check/
    assert "__main__.py" in files
    (hw / "nnkit_check").mkdir()
    for name, data in files.items():
        (hw / "nnkit_check" / name).write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "nnkit_check"], cwd=hw, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    # a row "question function check status", the failure's whole reason on the lines below it
    row = next(i for i, ln in enumerate(lines) if ln.startswith("1.6") and "linear_backward" in ln
               and "gradients vs numeric" in ln)
    reason = "\n".join(lines[row + 1:row + 4])
    assert lines[row].endswith("FAIL") and "likely transposed" in reason and "N = 4 times too small" in reason
    assert any(ln.startswith("1.1") and "add_backward" in ln and "gradients" in ln and ln.endswith("ok") for ln in lines)
    assert any(ln.startswith("1.6") and "test_linear_backward" in ln and ln.endswith("FAIL") for ln in lines)
    assert "checks pass. This is feedback, not your grade" in lines[-1]


def test_grade_writes_results_outside_the_repository_by_default(tmp_path, monkeypatch):
    work = tmp_path / "work"   # stands for a repository checkout the command runs in
    work.mkdir()
    (tmp_path / "sub").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "sub"), "--hw", "hw1_backprop"])
    expected = tmp_path / "cache" / "nnkit" / "grade" / "hw1_backprop" / "sub" / "results.json"
    assert result.exit_code == 0, result.output
    assert f"results.json written to {expected}" in result.output
    assert json.loads(expected.read_text())["score"] == 0
    assert list(work.iterdir()) == []
