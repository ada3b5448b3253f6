"""Helpers of the grading tests: a fake Gradescope root and submissions built in tmp dirs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.repo import homework_from_repo
from autograder.sandbox import worker_python

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
GRADESCOPE = ROOT / "autograder" / "grading" / "gradescope"


def make_source(dest: Path, hw: str) -> Path:
    """``dest`` laid out like an unzipped autograder.zip for ``hw`` (ARCHITECTURE.md)."""
    dest.mkdir(parents=True, exist_ok=True)
    for script in ("setup.sh", "run_autograder"):
        shutil.copy2(GRADESCOPE / script, dest / script)
    shutil.copy2(ROOT / "autograder" / "runtime-requirements.txt", dest / "runtime-requirements.txt")
    shutil.copytree(ROOT / "autograder", dest / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "release", "instructor"))
    shutil.copytree(ROOT / "solutions" / "nnkit", dest / "reference" / "nnkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    homework, _ = homework_from_repo(hw)
    shutil.copytree(homework, dest / "homework", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def reference_copy(dest: Path, modules=None) -> Path:
    """A submission folder ``dest/nnkit/`` holding copies of the reference modules."""
    pkg = dest / "nnkit"
    pkg.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "solutions" / "nnkit").glob("*.py")):
        if modules is None or path.stem in modules or path.stem == "__init__":
            shutil.copy2(path, pkg / path.name)
    return dest


def append_to(module: Path, fixture: str) -> None:
    """Append the definitions of a fixture file to a submitted module (later defs win)."""
    module.write_text(module.read_text() + "\n\n" + (FIXTURES / fixture).read_text())


def run_gradescope(root: Path, timeout: float = 120) -> dict:
    """Run the real setup.sh and run_autograder against the fake root; return results.json."""
    env = dict(os.environ)
    env.update({
        "AUTOGRADER_ROOT": str(root),
        "NNKIT_SKIP_INSTALL": "1",
        "NNKIT_VENV": str(root / "no-venv"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        # what run_autograder exports on Gradescope (the venv setup.sh made); here
        # the interpreter the sandbox found once for this test session
        "NNKIT_WORKER_PYTHON": worker_python(),
    })
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", str(root / "source" / script)], env=env, cwd=root,
                              capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{script} failed: {done.stdout}\n{done.stderr}"
    return json.loads((root / "results" / "results.json").read_text())


def by_number(results: dict) -> dict:
    return {t["number"]: t for t in results["tests"]}


def question_score(results: dict, question: str) -> tuple[float, float]:
    tests = [t for t in results["tests"] if t["number"].startswith(question + ".")]
    return sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)
