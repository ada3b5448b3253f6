"""setup.sh fails at set-up, not at grading; run_autograder shows students no grader traceback (issue 13, item 6).

The full path (a real venv from Python 3.10, pip, every homework) runs in CI:
``.ci/gradescope_py310.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from grading_support import make_source, reference_copy

ROOT = Path(__file__).resolve().parents[1]
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox user exists only as root (CI, Gradescope)")


def run_script(root: Path, script: str, **env) -> subprocess.CompletedProcess:
    full = {**os.environ, "AUTOGRADER_ROOT": str(root), "NNKIT_VENV": str(root / "no-venv"), **env}
    return subprocess.run(["bash", str(root / "source" / script)], env=full, cwd=root,
                          capture_output=True, text=True, timeout=120)


@needs_root
def test_setup_fails_when_the_sandbox_user_cannot_run_the_interpreter(tmp_path):
    """An interpreter under a private (0700) home, as /root/.pyenv: set-up fails and says what to do."""
    source = tmp_path / "root" / "source"
    source.mkdir(parents=True)
    shutil.copy2(ROOT / "autograder" / "grading" / "gradescope" / "setup.sh", source / "setup.sh")
    (source / "runtime-requirements.txt").write_text("")
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    os.chmod(home, 0o700)
    from autograder.sandbox import worker_python

    (home / "bin" / "python3").symlink_to(worker_python())   # works for root, not for a sandbox user
    done = run_script(tmp_path / "root", "setup.sh", NNKIT_SKIP_INSTALL="1",
                      PATH=f"{home / 'bin'}:/usr/bin:/bin")
    assert done.returncode != 0
    assert "FAILED" in done.stderr and re.search(r"sandbox user nnkit-sb\d", done.stderr)
    assert "install python3 system-wide" in done.stderr and str(home / "bin" / "python3") in done.stderr


@needs_root
def test_setup_checks_the_worker_interpreter_as_the_sandbox_user(tmp_path):
    source = tmp_path / "root" / "source"
    source.mkdir(parents=True)
    shutil.copy2(ROOT / "autograder" / "grading" / "gradescope" / "setup.sh", source / "setup.sh")
    (source / "runtime-requirements.txt").write_text("")
    from autograder.sandbox import worker_python

    done = run_script(tmp_path / "root", "setup.sh", NNKIT_SKIP_INSTALL="1", NNKIT_WORKER_PYTHON=worker_python())
    assert done.returncode == 0, done.stderr
    assert re.search(r"runs as nnkit-sb\d", done.stdout) and "numpy" in done.stdout   # the first free slot's user


def test_a_grader_crash_shows_students_one_line_and_the_instructor_the_traceback(tmp_path):
    root = tmp_path / "root"
    make_source(root / "source", "hw1_backprop")
    # a grader bug reached while grading (not at import): the engine's own entry point raises
    (root / "source" / "autograder" / "grading" / "run.py").write_text(
        (root / "source" / "autograder" / "grading" / "run.py").read_text().replace(
            "from autograder.grading import grade\n", "from autograder.grading import grade\n"
            "        raise RuntimeError('a grader bug at /autograder/source/secret.py')\n"))
    reference_copy(root / "submission")
    from autograder.sandbox import worker_python

    done = run_script(root, "run_autograder", NNKIT_WORKER_PYTHON=worker_python(),
                      PATH=f"{Path(os.sys.executable).parent}:/usr/bin:/bin")
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "please tell the course staff" in results["output"]
    assert "Traceback" not in json.dumps(results) and "secret.py" not in json.dumps(results)
    assert "Traceback" in done.stdout and "secret.py" in done.stdout   # instructor-only stdout


FLAKY_GRADER = '''
import json, os, signal, sys
from pathlib import Path

root = Path(os.environ["AUTOGRADER_ROOT"])
marker = root / "killed-once"
if not marker.exists():
    marker.touch()
    os.kill(os.getpid(), signal.SIGKILL)   # as the machine might kill the grader
(root / "results" / "results.json").write_text(json.dumps({"score": 7.0, "tests": [], "output": "graded"}))
'''


def test_run_autograder_grades_again_when_the_grader_was_killed_from_outside(tmp_path):
    root = tmp_path / "root"
    source = root / "source"
    (source / "autograder" / "grading").mkdir(parents=True)
    shutil.copy2(ROOT / "autograder" / "grading" / "gradescope" / "run_autograder", source / "run_autograder")
    (source / "autograder" / "__init__.py").write_text("")
    (source / "autograder" / "grading" / "__init__.py").write_text("")
    (source / "autograder" / "grading" / "run.py").write_text(FLAKY_GRADER)
    done = run_script(root, "run_autograder", PATH=f"{Path(os.sys.executable).parent}:/usr/bin:/bin")
    assert "killed by signal 9, not by the submission: grading once more" in done.stdout
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 7.0 and results["output"] == "graded"
