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

import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.config import GRADER_PROBLEM_TAG  # re-exported: results.json's tag of a grader problem

__all__ = ["grade_submission", "grade", "Grading", "GRADER_PROBLEM_TAG"]


@dataclass
class Grading:
    """What one grading run produced.

    - ``results``: the results.json dict
    - ``sandbox``: what the sandbox enforced and how time was counted (instructor-only; "" if no worker ran)
    - ``grader_problems``: test number -> why it may be the grader's fault (external kills)
    """

    results: dict
    sandbox: str = ""
    grader_problems: dict = field(default_factory=dict)


def grade_submission(submission: Path, homework: Path, reference: Path, results_path: Path | None = None,
                     *, config=None) -> dict:
    """Grade ``submission``; return the results.json dict (and write it to ``results_path``).

    ``config``: an ``autograder.grading.config.GradingConfig`` (time limits,
    call timeout, retries, sandbox limits), default ``GradingConfig()``.
    ``grade()`` does the same and also returns what the sandbox enforced.
    """
    return grade(submission, homework, reference, results_path, config=config).results


def grade(submission: Path, homework: Path, reference: Path, results_path: Path | None = None,
          *, config=None) -> Grading:
    """Grade ``submission`` against ``homework``/``reference``; a ``Grading`` (and results.json at ``results_path``).

    Never raises for anything the submission does: every failure becomes a
    failed test with a reason, or a results.json scoring 0 with a message.
    The worker and everything it started are killed before results.json is
    written. A grader bug gives a results.json with a one-line message; its
    traceback goes to stdout (instructor-only on Gradescope), never to results.json.
    """
    started = time.monotonic()
    from autograder.grading.client import WorkerClient
    from autograder.grading.config import GradingConfig
    from autograder.grading.results import build_results, error_results, write_results
    from autograder.grading.submission import collect_submission
    from autograder.sandbox.cleanup import remove_tree

    config = config or GradingConfig()
    grading = Grading(results={})
    staging = Path(tempfile.mkdtemp(prefix="nnkit-grade-"))
    try:
        staged, notes = collect_submission(Path(submission), staging / "staged", Path(homework), Path(reference))
        with WorkerClient(staged, config=config) as client:
            client.start()  # boots while the test machinery, hidden tests and reference load
            from autograder.authoring.calls import Reference
            from autograder.grading.runner import content_seed, run_hidden_tests

            outcomes, errors = run_hidden_tests(Path(homework) / "hidden_tests", client, Reference(reference),
                                                seed=content_seed(staged))
            restarts = client.restarts
            grading.sandbox = client.describe()
            grading.grader_problems = {number: " ".join(reasons) for number, reasons in client.faults.items()}
        output = "\n".join(notes + errors)
        if restarts:
            output += f"\n(the worker running your code was restarted {restarts} time(s): see the failed tests)"
        output += _mark_grader_problems(outcomes, grading.grader_problems)
        grading.results = build_results(outcomes, output.strip(), time.monotonic() - started)
    except Exception as exc:  # a grader bug: still a valid results.json, with the reason
        traceback.print_exc(file=sys.stdout)   # instructor-only; never in results.json
        grading.results = error_results(
            f"The autograder failed ({type(exc).__name__}: {str(exc)[:200]}); please tell the course staff.",
            time.monotonic() - started,
        )
    finally:
        remove_tree(staging)   # iterative: a submission's zip can hold a folder chain deeper than rmtree's recursion
    if results_path is not None:
        try:
            write_results(grading.results, Path(results_path))
        except Exception as exc:  # a results dict that cannot be written still leaves a valid file
            traceback.print_exc(file=sys.stdout)
            grading.results = error_results(
                f"The autograder could not write its results ({type(exc).__name__}: {str(exc)[:200]}); "
                "please tell the course staff.",
                time.monotonic() - started,
            )
            write_results(grading.results, Path(results_path))
    return grading


def _mark_grader_problems(outcomes: list, problems: dict) -> str:
    """Tag and explain each outcome a grader problem touched; the top-level note ('' if none).

    A test with no outcome of its own number (a legacy runner) marks every
    test that lost points: better a needless regrade than a silent loss.
    """
    if not problems:
        return ""
    numbers = {o.number for o in outcomes}
    orphan = any(number not in numbers for number in problems)
    touched = []
    for outcome in outcomes:
        reason = problems.get(outcome.number)
        if reason is None and orphan and outcome.score < outcome.max_score:
            reason = next(iter(problems.values()))
        if reason is None:
            continue
        outcome.tags = [*outcome.tags, GRADER_PROBLEM_TAG]
        outcome.output = (f"GRADER PROBLEM (not your fault): {reason}. The score of this test is provisional "
                          f"until it is regraded.\n{outcome.output}")
        touched.append(outcome.number)
    return (f"\nA grader problem (the machine killed the process running your code) affected test(s) "
            f"{', '.join(touched)}: they will be regraded; please tell the course staff if they are not.")
