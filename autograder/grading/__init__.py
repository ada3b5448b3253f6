"""The grading engine: one submission in, one Gradescope results.json out.

    results = grade_submission(submission, homework_dir, reference_dir, results_path)

- ``submission``: a folder, a zip, ``.py`` files or a notebook (``submission``)
- ``homework_dir``: ``manifest.json``, ``hidden_tests/`` (autograder.zip's ``homework/``)
- ``reference_dir``: the folder holding the reference package ``nnkit/``

The submission runs only in a sandboxed worker process (``client``,
``worker``, ``protocol``); the hidden tests (``graded``, ``runner``) compare
its answers with the reference in this, trusted, process; ``results``
writes results.json. ``autograder.repo.homework_from_repo(hw)`` lays out
``homework_dir`` from the repository for local grading (``nnkit grade``),
regrades and audits; the engine itself never imports the repository side.

Gradient checks, decided: a student's backward is graded against the
reference's analytic gradients (exact expectations, cheap, no step-size
noise), per gradient (dx, dW, db) with a diagnosis (``diagnose``); for inputs
too large for an entry-by-entry check (conv), also along random ±1
directions against central differences of the *reference's* forward. The
student-side ``nnkit check`` has no reference: it checks the student's
backward against central differences of the student's own forward.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import traceback
from pathlib import Path

__all__ = ["grade_submission"]

# What the last grade_submission's sandbox enforced (``Sandbox.describe()``), for
# the instructor-only output (run.py prints it to stdout, hidden from students).
LAST_SANDBOX: str = ""


def grade_submission(submission: Path, homework: Path, reference: Path, results_path: Path | None = None) -> dict:
    """Grade ``submission``; return the results.json dict (and write it to ``results_path``).

    Never raises for anything the submission does: every failure becomes a
    failed test with a reason, or a results.json scoring 0 with a message.
    The worker and everything it started are killed before results.json is
    written.
    """
    started = time.monotonic()
    from autograder.grading.client import WorkerClient
    from autograder.grading.results import build_results, error_results, write_results
    from autograder.grading.submission import collect_submission

    staging = Path(tempfile.mkdtemp(prefix="nnkit-grade-"))
    try:
        staged, notes = collect_submission(Path(submission), staging / "staged", Path(homework), Path(reference))
        with WorkerClient(staged) as client:
            client.start()  # boots while the test machinery, hidden tests and reference load
            from autograder.grading.graded import Reference
            from autograder.grading.runner import run_hidden_tests

            outcomes, errors = run_hidden_tests(Path(homework) / "hidden_tests", client, Reference(reference))
            restarts = client.restarts
            global LAST_SANDBOX
            LAST_SANDBOX = client.box.describe()
        output = "\n".join(notes + errors)
        if restarts:
            output += f"\n(the worker running your code was restarted {restarts} time(s): see the failed tests)"
        results = build_results(outcomes, output.strip(), time.monotonic() - started)
    except Exception as exc:  # a grader bug: still a valid results.json, with the reason
        results = error_results(
            f"The autograder failed ({type(exc).__name__}: {exc}); please tell the course staff.\n"
            + traceback.format_exc(limit=3),
            time.monotonic() - started,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if results_path is not None:
        try:
            write_results(results, Path(results_path))
        except Exception as exc:  # a results dict that cannot be written still leaves a valid file
            results = error_results(
                f"The autograder could not write its results ({type(exc).__name__}: {exc}); "
                "please tell the course staff.",
                time.monotonic() - started,
            )
            write_results(results, Path(results_path))
    return results
