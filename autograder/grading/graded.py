"""Legacy: the class-based hidden tests of hw2/hw3, until they move to ``autograder.authoring``.

A hidden test (``assignments/<hw>/hidden_tests/test_*.py``) is a
``unittest.TestCase`` subclass of ``GradedTest`` whose methods carry
gradescope-utils metadata (``weight`` / ``partial_credit``, ``number``,
``visibility``, ``tags``). Inside a method:

    score = self.scorer(set_score)
    score.part(2, "forward", lambda: self.compare("gates.add_forward", x, y))
    score.gradients(3, "gates.add_backward", (dout, x, y), names=("dx", "dy"))
    score.part(2, "random inputs", lambda: self.examples(strategy, check_one))
    score.finish()

``compare`` runs the reference (trusted, in this process) and the student
(in the worker) on copies of the same inputs and checks the result exactly
(``checks``); ``gradients`` gives partial credit per gradient with a
diagnosis (``diagnose``); ``examples`` runs hypothesis, derandomised and
without shrinking, so a regrade gives identical results. ``finish`` sets the
score and fails the test with every lost part's reason.
"""

from __future__ import annotations

import inspect
import unittest

import numpy as np
from gradescope_utils.autograder_utils.decorators import (  # noqa: F401  (re-exported for hidden tests)
    number,
    partial_credit,
    tags,
    visibility,
    weight,
)
from hypothesis import HealthCheck, Phase, given, settings

from autograder.authoring.calls import (  # noqa: F401  (GraderError, Reference: re-exported, legacy path)
    GraderError,
    Reference,
    call_student,
    expected_value,
    gradient_names,
    signature_ok,
)
from autograder.grading.checks import CheckFailed, check_value, describe
from autograder.grading.client import StudentCallFailed, WorkerClient
from autograder.grading.diagnose import diagnose_gradient

def time_limit(seconds: float):
    """Decorator: this test's budget (seconds of the submission's time, ``GradingConfig``) for all
    its calls into the submission."""

    def deco(func):
        func.__time_limit__ = float(seconds)
        return func

    return deco


class GradedTest(unittest.TestCase):
    """Base class of hidden tests; the runner sets ``client`` and ``reference`` before running."""

    client: WorkerClient = None
    reference: Reference = None

    # -- calling --------------------------------------------------------
    def student(self, target: str, *args, call_timeout: float | None = None, **kwargs):
        """Call the student's ``module.function`` in the worker; StudentCallFailed on any failure
        (``authoring.calls.call_student``)."""
        return call_student(self.client, target, args, kwargs, call_timeout)

    def ref(self, target: str):
        """The reference function ``module.function`` (trusted code)."""
        return self.reference(target)

    def expected(self, target: str, *args, **kwargs):
        """The reference's answer on copies of the inputs (function references built locally)."""
        return expected_value(self.reference, target, args, kwargs)

    def compare(self, target: str, *args, rtol: float = 1e-6, atol: float = 1e-8, name: str | None = None, **kwargs):
        """Run reference and student on the same inputs; CheckFailed with the reason on a mismatch.

        Returns the student's (checked) value.
        """
        expected = self.expected(target, *args, **kwargs)
        got = self.call_or_fail(target, *args, **kwargs)
        func = target.split(".")[1]
        grads = gradient_names(target)
        if name is None and isinstance(expected, tuple) and len(grads) == len(expected):
            # a backward function: name each gradient after its input (dx, dW, ...)
            if type(got) not in (tuple, list) or len(got) != len(expected):
                raise CheckFailed(f"{func}: expected a tuple ({', '.join(grads)}), got {describe(got)}")
            reasons = [check_value(g, e, n, rtol=rtol, atol=atol) for g, e, n in zip(got, expected, grads)]
            reason = next((r for r in reasons if r), None)
        else:
            reason = check_value(got, expected, name or func, rtol=rtol, atol=atol)
        if reason:
            raise CheckFailed(reason)
        return got

    def call_or_fail(self, target: str, *args, call_timeout: float | None = None, **kwargs):
        """``student`` with failures turned into CheckFailed (for use inside parts)."""
        try:
            return self.student(target, *args, call_timeout=call_timeout, **kwargs)
        except StudentCallFailed as exc:
            raise CheckFailed(exc.reason) from None

    def expect_value_error(self, target: str, *args, **kwargs) -> None:
        """The call must raise ValueError (bad arguments); CheckFailed otherwise."""
        try:
            got = self.student(target, *args, **kwargs)
        except StudentCallFailed as exc:
            if exc.kind == "error" and "ValueError" in exc.error_types:  # a subclass of ValueError counts too
                return
            raise CheckFailed(f"expected ValueError; {exc.reason}") from None
        raise CheckFailed(f"{target} returned {describe(got)} instead of raising ValueError")

    # -- scoring --------------------------------------------------------
    def scorer(self, set_score=None) -> "Scorer":
        return Scorer(self, set_score)

    # -- property-based examples -----------------------------------------
    def examples(self, strategy, check, max_examples: int = 25) -> None:
        """Run ``check(example)`` on derandomised hypothesis examples; CheckFailed on the first failure.

        No shrinking (every extra call costs time and a regrade must repeat
        exactly), no example database (nothing written to disk).
        """
        failures: list[str] = []

        @settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], print_blob=False,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(example):
            if failures:
                return
            try:
                check(example)
            except (CheckFailed, StudentCallFailed) as exc:
                failures.append(str(exc))

        run()
        if failures:
            raise CheckFailed(failures[0])


class Scorer:
    """Partial credit of one test: weighted parts, each passed or lost with a reason."""

    def __init__(self, test: GradedTest, set_score=None):
        self.test = test
        self.set_score = set_score
        self.earned = 0.0
        self.total = 0.0
        self.lines: list[str] = []

    def part(self, points: float, label: str, check) -> bool:
        """Run ``check()``; it passes unless it raises CheckFailed/StudentCallFailed/AssertionError."""
        self.total += points
        try:
            check()
        except (CheckFailed, StudentCallFailed, AssertionError) as exc:
            self.lines.append(f"✗ {label} (−{points:g}): {exc}")
            return False
        except GraderError:
            raise
        except Exception as exc:  # an answer so malformed that checking it broke (e.g. not indexable)
            self.lines.append(f"✗ {label} (−{points:g}): the returned value could not be checked "
                              f"({type(exc).__name__}: {str(exc)[:200]})")
            return False
        self.earned += points
        self.lines.append(f"✓ {label}")
        return True

    def lose(self, points: float, label: str, reason: str) -> None:
        """A part that cannot be checked (an earlier step failed): lost with ``reason``."""
        self.total += points
        self.lines.append(f"✗ {label} (−{points:g}): {reason}")

    def accuracy_tiers(self, points_each: float, measure, half: float, full: float) -> None:
        """Two parts for a trained model: reaching ``half``, then reaching ``full``.

        ``measure()`` trains and returns the test accuracy (raising CheckFailed
        when training itself fails); the second part is lost without running
        anything when the first failed.
        """
        result = {}

        def reaches(bar):
            def check():
                if "acc" not in result:
                    result["acc"] = measure()
                if result["acc"] < bar:
                    raise CheckFailed(f"test accuracy {result['acc']:.1%}, expected at least {bar:.0%}")
            return check

        if self.part(points_each, f"trains and reaches {half:.0%}", reaches(half)):
            self.part(points_each, f"reaches {full:.0%}", reaches(full))
        else:
            self.lose(points_each, f"reaches {full:.0%}", "not reached")

    def gradients(self, points_each: float, target: str, args: tuple, names: tuple, *,
                  label: str | None = None, kinks: dict | None = None, batch: int | None = None,
                  kwargs: dict | None = None) -> bool:
        """Partial credit per gradient of a backward function, each with a diagnosis."""
        kwargs = kwargs or {}
        label = label or target.split(".")[1]
        expected = self.test.expected(target, *args, **kwargs)
        expected = expected if isinstance(expected, tuple) else (expected,)
        graded = sum(isinstance(e, np.ndarray) for e in expected)  # a loss in the tuple is graded elsewhere
        try:
            got = self.test.student(target, *args, **kwargs)
        except StudentCallFailed as exc:
            self.total += points_each * graded
            self.lines.append(f"✗ {label} (−{points_each * graded:g}): {exc.reason}")
            return False
        if len(names) == 1 and not isinstance(got, tuple):
            got = (got,)
        if type(got) not in (tuple, list) or len(got) != len(names):
            self.total += points_each * graded
            self.lines.append(f"✗ {label} (−{points_each * graded:g}): expected a tuple "
                              f"({', '.join(names)}), got {describe(got)}")
            return False
        all_ok = True
        for value, want, name in zip(got, expected, names):
            if not isinstance(want, np.ndarray):  # the loss of a (loss, dscores) pair: graded elsewhere
                continue
            d = diagnose_gradient(value, want, name, kinks=(kinks or {}).get(name), batch=batch)
            if isinstance(want, np.ndarray) and type(value) is np.ndarray and value.dtype != np.float64 and d.ok:
                d.ok, d.message = False, f"{name}: dtype {value.dtype}, expected float64"
            self.total += points_each
            if d.ok:
                self.earned += points_each
                self.lines.append(f"✓ {label}: {name}")
            else:
                all_ok = False
                self.lines.append(f"✗ {label} (−{points_each:g}): {d.message}")
        return all_ok

    def dict_gradients(self, points_each: float, label: str, got, expected: dict, *, batch: int | None = None) -> bool:
        """Partial credit per entry of a gradient dict (``grads`` of a network), each diagnosed."""
        if type(got) is not dict:
            self.total += points_each * len(expected)
            self.lines.append(f"✗ {label} (−{points_each * len(expected):g}): expected a dict with keys "
                              f"{sorted(expected)}, got {describe(got)}")
            return False
        all_ok = True
        for key in sorted(expected):
            self.total += points_each
            if key not in got:
                all_ok = False
                self.lines.append(f"✗ {label} (−{points_each:g}): grads has no key {key!r}")
                continue
            d = diagnose_gradient(got[key], expected[key], key, batch=batch)
            if d.ok and got[key].dtype != np.float64:
                d.ok, d.message = False, f"{key}: dtype {got[key].dtype}, expected float64"
            if d.ok:
                self.earned += points_each
            else:
                all_ok = False
                self.lines.append(f"✗ {label} (−{points_each:g}): {d.message}")
        extra = sorted(set(got) - set(expected))
        if extra:
            self.lines.append(f"  note: {label} has unexpected keys {extra}")
        return all_ok

    def finish(self) -> None:
        """Set the score (scaled to the test's weight) and fail the test if anything was lost."""
        fraction = self.earned / self.total if self.total else 0.0
        weight_ = getattr(getattr(self.test, self.test._testMethodName), "__weight__", self.total)
        if self.set_score is not None:
            self.set_score(round(fraction * weight_, 4))
        if self.earned < self.total:
            raise AssertionError("\n".join(self.lines))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


def graded_methods(case: type) -> list[str]:
    """Names of the test methods of a TestCase class, in source order (stable results.json)."""
    names = [n for n in dir(case) if n.startswith("test") and callable(getattr(case, n))]

    def line(n):
        fn = inspect.unwrap(getattr(case, n))
        try:
            return fn.__code__.co_firstlineno
        except AttributeError:
            return 0

    return sorted(names, key=lambda n: (line(n), n))
