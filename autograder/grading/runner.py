"""Runs the hidden tests of a homework and turns each graded test into a ``TestOutcome``.

A hidden test is a ``@question`` function (``autograder.authoring``): the
runner builds its context ``q`` (seeded from the submission's seed and the
question number), runs it under its time limit and settles its parts into
the score, which comes back as the outcome (nothing is stored on the
function). Grader errors (parts not adding up to the declared points, no
part at all, an exception in the test's own code) score 0 and name the
test's ``file:line``.

Legacy ``GradedTest`` classes (``graded``) still run, until every homework
is converted: our own runner, not gradescope-utils' ``JSONTestRunner``, whose 0.5.0 bugs
must not reach a student: an exception in ``setUpClass`` leaves results.json
empty (its issue #40) — here every test of that class is reported failed
with the reason; a failing ``subTest`` makes the test vanish (#5) — here the
test stays, failed, with each sub-test's message; ``execution_time`` is a
string there — a number here. The metadata still comes from gradescope-utils'
decorators (``__weight__``, ``__number__``, ``__visibility__``, ``__tags__``,
``partial_credit``'s ``__score__``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
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
from autograder.grading.graded import graded_methods
from autograder.grading.results import TestOutcome

EXPECTED = (AssertionError, CheckFailed, StudentCallFailed)


class _Result(unittest.TestResult):
    """Collects one test's problems as one-line reasons (no grader tracebacks for students)."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def _reason(self, err) -> str:
        exc_type, exc, tb = err
        if isinstance(exc, EXPECTED):
            return str(exc) or exc_type.__name__
        frames = traceback.extract_tb(tb)
        where = f" ({Path(frames[-1].filename).name} line {frames[-1].lineno})" if frames else ""
        return f"grader error {exc_type.__name__}: {exc}{where} — please tell the course staff"

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.problems.append(self._reason(err))

    def addError(self, test, err):
        super().addError(test, err)
        self.problems.append(self._reason(err))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.problems.append(f"{subtest._subDescription()}: {self._reason(err)}")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.problems.append(f"skipped: {reason}")


def load_test_modules(hidden_dir: Path) -> tuple[list, list[str]]:
    """Import every ``test_*.py`` of ``hidden_dir`` by path; ``(modules, load errors)``."""
    modules, errors = [], []
    for path in sorted(Path(hidden_dir).glob("test_*.py")):
        name = f"nnkit_hidden_{Path(hidden_dir).parent.name}_{path.stem}"
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            modules.append(module)
        except Exception as exc:  # our bug, but the student must still get a results.json
            errors.append(f"hidden tests {path.name} failed to load: {type(exc).__name__}: {exc}")
    return modules, errors


def case_classes(module) -> list[type]:
    """TestCase classes defined in ``module``, in source order."""
    classes = [obj for obj in vars(module).values()
               if isinstance(obj, type) and issubclass(obj, unittest.TestCase) and obj.__module__ == module.__name__]
    return sorted(classes, key=lambda c: inspect.getsourcelines(c)[1] if _has_source(c) else 0)


def _has_source(obj) -> bool:
    try:
        inspect.getsourcelines(obj)
        return True
    except (OSError, TypeError):
        return False


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
    """``(number, points)`` of every graded test of a hidden-test module: ``@question``
    functions and legacy ``GradedTest`` methods alike (for checking them against the manifest)."""
    found = [(spec.number, spec.points) for spec in questions_in(module)]
    for cls in case_classes(module):
        for method in graded_methods(cls):
            func = getattr(cls, method)
            found.append((str(_meta(func, "__number__", "")), float(_meta(func, "__weight__", 0.0))))
    return found


def _meta(func, attr: str, default):
    return getattr(func, attr, default)


def _title(cls: type, method: str) -> str:
    doc = inspect.getdoc(getattr(cls, method)) or method.replace("_", " ")
    return doc.strip().splitlines()[0]


def run_test_class(cls: type, client=None, reference=None, *, setup_error: str | None = None) -> list[TestOutcome]:
    """Run every test method of ``cls``; always one outcome per method."""
    if client is not None:
        cls.client = client
    if reference is not None:
        cls.reference = reference
    methods = graded_methods(cls)
    outcomes = []
    if setup_error is None:
        try:
            cls.setUpClass()
        except BaseException as exc:  # noqa: BLE001 — #40: never lose the class's tests
            setup_error = f"set-up of {cls.__name__} failed: {type(exc).__name__}: {exc}"
    for method in methods:
        func = getattr(cls, method)
        max_score = float(_meta(func, "__weight__", 0.0))
        outcome = TestOutcome(
            name=_title(cls, method),
            number=str(_meta(func, "__number__", "")),
            score=0.0,
            max_score=max_score,
            visibility=str(_meta(func, "__visibility__", "visible")),
            tags=list(_meta(func, "__tags__", ())),
        )
        if setup_error:
            outcome.output = setup_error
            outcomes.append(outcome)
            continue
        if "__score__" in vars(func):  # partial_credit keeps the last score on the function
            delattr(func, "__score__")
        limit = _meta(func, "__time_limit__", None)
        if client is not None:
            begin_question(client, outcome.number, limit)
        started = time.monotonic()
        result = _Result()
        test = cls(method)
        test.run(result)
        outcome.execution_time = time.monotonic() - started
        if client is not None:
            end_question(client)
        partial = vars(func).get("__score__")
        if partial is not None:
            outcome.score = min(max(float(partial), 0.0), max_score)
        elif result.wasSuccessful() and not result.problems:
            outcome.score = max_score
        outcome.output = "\n".join(dict.fromkeys(result.problems)) if result.problems else "All checks passed."
        outcomes.append(outcome)
    if setup_error is None:
        try:
            cls.tearDownClass()
        except BaseException:  # noqa: BLE001 — nothing to report to a student
            pass
    return outcomes


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
    outcome = TestOutcome(name=spec.title, number=spec.number, score=0.0, max_score=spec.points)
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
        for cls in case_classes(module):
            outcomes.extend(run_test_class(cls, client, reference))
        for spec in questions_in(module):
            outcomes.append(run_question(spec, client, reference, seed))
    outcomes.sort(key=lambda o: number_order(o.number))
    return outcomes, errors
