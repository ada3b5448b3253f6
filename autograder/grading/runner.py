"""Runs the hidden tests of a homework and turns each graded test into a ``TestOutcome``.

A hidden test is a ``@question`` function (``autograder.authoring``): the
runner builds its context ``q`` (seeded from the submission's seed and the
question number), runs it under its time limit and settles its parts into
the score, which comes back as the outcome (nothing is stored on the
function). Grader errors (parts not adding up to the declared points, no
part at all, an exception in the test's own code) score 0 and name the
test's ``file:line``. A hidden-test file that fails to import is reported,
never skipped silently; so is one that still defines ``unittest`` classes
(the class-based API is gone).

Our own runner, not gradescope-utils' ``JSONTestRunner``, whose 0.5.0 bugs
(an exception in ``setUpClass`` leaves results.json empty, a failing
``subTest`` makes the test vanish, ``execution_time`` is a string) must not
reach a student.
"""

from __future__ import annotations

import hashlib
import importlib.util
import time
import traceback
import unittest
from pathlib import Path

from autograder.authoring.calls import GraderError
from autograder.authoring.context import Question
from autograder.authoring.question import QuestionSpec, questions_in
from autograder.grading.checks import CheckFailed
from autograder.grading.client import StudentCallFailed
from autograder.grading.config import DEFAULT_TIME_LIMIT
from autograder.grading.results import TestOutcome

EXPECTED = (AssertionError, CheckFailed, StudentCallFailed)


def load_test_modules(hidden_dir: Path) -> tuple[list, list[str]]:
    """Import every ``test_*.py`` of ``hidden_dir`` by path; ``(modules, load errors)``."""
    modules, errors = [], []
    for path in sorted(Path(hidden_dir).glob("test_*.py")):
        name = f"nnkit_hidden_{Path(hidden_dir).parent.name}_{path.stem}"
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        except Exception as exc:  # our bug, but the student must still get a results.json
            errors.append(f"hidden tests {path.name} failed to load: {type(exc).__name__}: {exc}")
            continue
        classes = unittest_classes(module)
        if classes:
            errors.append(f"hidden tests {path.name} define unittest classes ({', '.join(classes)}), which are not "
                          "run: write each graded test as a @question function (docs/WRITING_TESTS.md); "
                          "please tell the course staff")
        modules.append(module)
    return modules, errors


def unittest_classes(module) -> list[str]:
    """Names of the ``unittest.TestCase`` classes defined in ``module`` (the retired class API)."""
    return sorted(name for name, obj in vars(module).items()
                  if isinstance(obj, type) and issubclass(obj, unittest.TestCase) and obj.__module__ == module.__name__)


def begin_question(client, number: str, limit: float | None) -> None:
    """Start question ``number``'s budget of ``limit`` seconds of the submission's time (None: the
    engine's default; ``WorkerClient.begin_question``); a client without budgets gets a deadline."""
    if hasattr(client, "begin_question"):
        client.begin_question(number, limit)
    else:
        client.deadline = time.monotonic() + (DEFAULT_TIME_LIMIT if limit is None else limit)


def end_question(client) -> None:
    """End the current question's budget (or deadline)."""
    if hasattr(client, "end_question"):
        client.end_question()
    else:
        client.deadline = None


def declared_tests(module) -> list[tuple[str, float]]:
    """``(number, points)`` of every ``@question`` test of a hidden-test module (for checking
    them against the manifest)."""
    return [(spec.number, spec.points) for spec in questions_in(module)]


def number_order(number: str) -> list:
    """Sort key of a test number: "1.2" < "1.10" < "TestX.test_y" (text parts after numbers)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in number.split(".")]


def _grader_error(spec: QuestionSpec, text: str) -> str:
    return f"grader error in {spec.number}: {text} — please tell the course staff"


def _where_raised(spec: QuestionSpec, tb) -> str:
    """``file:line`` of the innermost frame of the hidden test's file in ``tb`` (else its definition)."""
    frames = [f for f in traceback.extract_tb(tb) if f.filename == spec.file]
    return f"{Path(spec.file).name}:{frames[-1].lineno}" if frames else spec.where


def _settle(q: Question, spec: QuestionSpec) -> tuple[float, str | None]:
    """(score, grader error or None) of a test that ran to its end."""
    if not q.parts:
        return 0.0, _grader_error(spec, f"no part ran ({spec.where}): a test must grade something")
    if abs(q.declared - spec.points) > 1e-6:
        return 0.0, _grader_error(spec, f"its parts add up to {q.declared:g} points but @question declares "
                                        f"{spec.points:g} ({spec.where})")
    q.settle()
    return min(max(q.earned, 0.0), spec.points), None


def run_question(spec: QuestionSpec, client=None, reference=None, seed: int = 0) -> TestOutcome:
    """Run one ``@question`` test with a fresh context; always one outcome.

    ``seed`` is the submission's (``content_seed``): the test's ``q.rng`` and its
    hypothesis examples derive from it and the question number.
    """
    outcome = TestOutcome(name=spec.title, number=spec.number, score=0.0, max_score=spec.points,
                          visibility=spec.visibility)
    q = Question(spec, client, reference, seed)
    if client is not None:
        begin_question(client, spec.number, spec.time_limit)
    started = time.monotonic()
    error = None
    try:
        spec.func(q)
        score, error = _settle(q, spec)
    except GraderError as exc:
        score, error = 0.0, _grader_error(spec, str(exc))
    except EXPECTED as exc:  # a failed call outside any part: what is left of the test is lost
        q.lose_rest(str(exc) or type(exc).__name__)
        q.settle()
        score = min(max(q.earned, 0.0), spec.points)
    except Exception as exc:  # noqa: BLE001 — the test's own code broke: ours, never the student's
        score, error = 0.0, _grader_error(spec, f"{type(exc).__name__}: {str(exc)[:300]} "
                                                f"({_where_raised(spec, exc.__traceback__)})")
    finally:
        if client is not None:
            end_question(client)
    outcome.execution_time = time.monotonic() - started
    outcome.score = score
    outcome.output = "\n".join(q.output_lines() + ([error] if error else []))
    return outcome


def content_seed(folder: Path) -> int:
    """The seed of a submission: sha256 of its files (relative paths and bytes), 63 bits.

    The same submission gets the same hidden values (a reproducible grade);
    a changed one gets other values, so answers copied from one run's
    feedback are useless in the next.
    """
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return int.from_bytes(digest.digest()[:8], "little") >> 1


def run_hidden_tests(hidden_dir: Path, client, reference, seed: int = 0) -> tuple[list[TestOutcome], list[str]]:
    """All outcomes of a homework's hidden tests, plus messages for the top-level output.

    ``seed``: the submission's seed (``content_seed`` of its staged files).
    """
    modules, errors = load_test_modules(hidden_dir)
    if not modules and not errors:
        errors.append(f"the autograder found no hidden tests in {Path(hidden_dir).name}/; please tell the course staff")
    outcomes: list[TestOutcome] = []
    for module in modules:
        for spec in questions_in(module):
            outcomes.append(run_question(spec, client, reference, seed))
    outcomes.sort(key=lambda o: number_order(o.number))
    return outcomes, errors
