"""A fake ``grade_submission`` for the instructor tools' tests (no grading engine needed).

It never imports the submission. A question gets full marks when every module
its functions live in is, in ``submission/nnkit/``, the reference module
(markers stripped); otherwise 0 and a "likely: …" diagnosis line, as the real
engine's gradient-check feedback has. Marker files steer the failure modes:
``HANG`` sleeps forever, ``CRASH`` kills the process, ``RAISE`` raises,
``KILLONCE`` SIGKILLs the grading process the first time (as the machine
might), ``PROBLEM`` tags the first test of the first grading as a grader
problem, ``BARRIER`` waits for other gradings.
Each question is split into two tests ("1.1.1", "1.1.2") so that the
per-question aggregation is exercised.
"""

import json
import os
import signal
import time
from pathlib import Path

from autograder.grading.config import GRADER_PROBLEM_TAG
from autograder.instructor.bank import ROOT, strip_markers
from autograder.release.manifest import read_manifest

TESTS = Path(__file__).resolve().parent  # the children import this module from here
FAKE = "instructor_fakes:grade"


def grade(submission, homework, reference, results_path=None):
    sub = Path(submission)
    if (sub / "HANG").exists():
        time.sleep(3600)
    if (sub / "CRASH").exists():
        os._exit(7)
    if (sub / "RAISE").exists():
        raise RuntimeError("the fake grader failed on purpose")
    delay = sub / "DELAY"
    if delay.exists():
        time.sleep(float(delay.read_text()))
    if (sub / "KILLONCE").exists() and not (sub / "KILLONCE.done").exists():
        (sub / "KILLONCE.done").touch()
        os.kill(os.getpid(), signal.SIGKILL)   # as if the machine had killed the grading process
    barrier = sub / "BARRIER"   # "<folder> <n>": meet n-1 other gradings there, else score 0 after 60 s
    if barrier.exists() and not _meet(*barrier.read_text().split()):
        return {"score": 0.0, "execution_time": 0.01, "tests": []}
    manifest = Path(homework) / "manifest.json"  # the real homework_from_repo's layout, else named after hw
    hw = json.loads(manifest.read_text())["homework"] if manifest.exists() else Path(homework).name
    questions = read_manifest(ROOT, hw).questions
    tests = []
    for q in questions:
        modules = {f.split(".")[0] for f in q["functions"]}
        same = all((sub / "nnkit" / f"{m}.py").is_file()
                   and (sub / "nnkit" / f"{m}.py").read_text() == strip_markers((Path(reference) / "nnkit" / f"{m}.py").read_text())
                   for m in modules)
        for part in (1, 2):
            half = q["points"] / 2
            tests.append({"number": f"{q['number']}.{part}", "name": f"{q['name']} part {part}",
                          "score": half if same else 0.0, "max_score": half,
                          "output": "" if same else f"dx is wrong\nlikely: off by a constant factor (x2) in {sorted(modules)[0]}",
                          "status": "passed" if same else "failed"})
    if (sub / "PROBLEM").exists() and not (sub / "PROBLEM.done").exists():
        (sub / "PROBLEM.done").touch()   # the first grading meets a grader problem in its first test
        tests[0]["tags"] = [GRADER_PROBLEM_TAG]
    return {"score": sum(t["score"] for t in tests), "execution_time": 0.01, "tests": tests}


def _meet(folder: str, n: str) -> bool:
    """Announce this grading in ``folder`` and wait (at most 60 s) until ``n`` gradings are there at once."""
    Path(folder, f"{os.getpid()}-{time.monotonic_ns()}").touch()
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if len(list(Path(folder).iterdir())) >= int(n):
            return True
        time.sleep(0.02)
    return False
