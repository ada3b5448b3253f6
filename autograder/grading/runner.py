"""Runs the hidden tests of a homework and turns each test method into a ``TestOutcome``.

Our own runner, not gradescope-utils' ``JSONTestRunner``, whose 0.5.0 bugs
must not reach a student: an exception in ``setUpClass`` leaves results.json
empty (its issue #40) — here every test of that class is reported failed
with the reason; a failing ``subTest`` makes the test vanish (#5) — here the
test stays, failed, with each sub-test's message; ``execution_time`` is a
string there — a number here. The metadata still comes from gradescope-utils'
decorators (``__weight__``, ``__number__``, ``__visibility__``, ``__tags__``,
``partial_credit``'s ``__score__``).
"""

from __future__ import annotations

import importlib.util
import inspect
import time
import traceback
import unittest
from pathlib import Path

from autograder.grading.checks import CheckFailed
from autograder.grading.client import StudentCallFailed
from autograder.grading.graded import DEFAULT_TIME_LIMIT, graded_methods
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
        limit = float(_meta(func, "__time_limit__", DEFAULT_TIME_LIMIT))
        if client is not None:
            client.deadline = time.monotonic() + limit
        started = time.monotonic()
        result = _Result()
        test = cls(method)
        test.run(result)
        outcome.execution_time = time.monotonic() - started
        if client is not None:
            client.deadline = None
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


def run_hidden_tests(hidden_dir: Path, client, reference) -> tuple[list[TestOutcome], list[str]]:
    """All outcomes of a homework's hidden tests, plus messages for the top-level output."""
    modules, errors = load_test_modules(hidden_dir)
    if not modules and not errors:
        errors.append(f"the autograder found no hidden tests in {Path(hidden_dir).name}/; please tell the course staff")
    outcomes: list[TestOutcome] = []
    for module in modules:
        for cls in case_classes(module):
            outcomes.extend(run_test_class(cls, client, reference))
    outcomes.sort(key=lambda o: number_order(o.number))
    return outcomes, errors
