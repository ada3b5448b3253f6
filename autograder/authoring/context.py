"""``Question``: the context ``q`` a hidden test receives, with the shared checkers.

Every checker is one or more *parts* of the question, worth the points it is
given (points, not relative weights: the parts must add up to the question's
points, else a grader error). A part passes or is lost with a one-line
reason; the runner turns the parts into the score and the output lines.

Parts (each returns True when it passed, except where noted):

- ``q.compare(points, target, *args, **kwargs)``: the student's value against
  the reference's on the same inputs (``checks.check_value``); returns the
  student's value, or None when the part was lost
- ``q.gradients(points, target, *args, **kwargs)`` or ``(points, target,
  cases=[q.case(...), ...])``: a backward function, the points split evenly
  per gradient (names dx, dW, … from its signature), each right on every case
  or lost with the diagnosis (``diagnose.diagnose_gradient``)
- ``q.loss_and_grads(points, target, *args, loss_points=…, **kwargs)``: a
  ``(loss, grads)`` pair: the loss, then the points left split per entry of
  the grads dict (or the one gradient array)
- ``q.directional(points, backward, forward, dout, *inputs, **kwargs)``:
  gradients of inputs too large for an entry-by-entry check, along random
  ±1 directions against central differences of the reference's forward
- ``q.raises(points, target, *args, **kwargs)``: raises ValueError on bad input
- ``q.examples(points, label, strategy, check)``: ``check(example)`` on
  hypothesis examples (seeded per submission and question, no shrinking)
- ``q.accuracy_tiers(points_each, measure, half, full)``: a trained model
- ``q.part(points, label, check)`` or ``with q.part(points, label):`` any
  checks, all of which must pass; ``q.lose(points, label, reason)``

Inside a part (these raise ``CheckFailed`` instead of scoring): ``q.check``
(compare without points), ``q.check_raises``, ``q.check_examples``,
``q.call`` (the student's value, CheckFailed if the call failed). Inputs:
``q.rng`` (a numpy Generator), ``q.draw(strategy, n)`` (hypothesis examples
as a list), ``q.case(*args, **kwargs)``. Trusted side: ``q.expected``, ``q.ref``,
``q.expected_answers`` (also the reference built on the student's helpers).

A later function is graded on its own: ``q.check(target, …, built_on=("losses.softmax_cross_entropy",
…))`` (and ``q.compare``, ``q.gradients``) also accepts the answer of the *reference* ``target`` built on the
*student's* own helpers (called through the worker), so a wrong helper costs in its own question
only (a call that raised is right where that reference raises the same error, a check that pays
only with a correct value); ``reason_of(got, want)`` replaces the comparison (e.g. up to signs). A failed check (a
wrong value, or the student's call raised) adds a hint naming the first function the reference
``target`` calls whose student version differs on the inputs it gets there (``blame.py``; at
most one probe per failed part, never for a stub); ``q.blame`` gives that hint to checks of
one's own (a trusted loop).

No points for doing nothing: a ``raises`` part, or a part whose every
expected value is all zeros (floats), pays only if a part of the same
question that checked a non-trivial value of the same function passed.
"""

from __future__ import annotations

import functools
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from autograder.api_spec import API, signature_params
from autograder.authoring.calls import (
    GraderError,
    call_student,
    expected_value,
    gradient_names,
)
from autograder.authoring.blame import PROBED_KINDS, blame, homework_manifest
from autograder.authoring.question import QuestionSpec, derive_seed
from autograder.grading.checks import CheckFailed, check_scalar, check_value, describe
from autograder.grading.client import StudentCallFailed
from autograder.grading.diagnose import diagnose_gradient, diagnose_outputs, directional_check
from autograder.worker.protocol import quote

EXPECTED_FAILURES = (CheckFailed, StudentCallFailed, AssertionError)
PAYS_WITH = "pays only together with a correct value of {} on valid input in this question"
MAX_PROBES = 4   # blame probes of checks made outside any part, per question (inside: one per failed part)


class CallFailed(CheckFailed):
    """A check failed because the student's call failed; ``kind`` is ``StudentCallFailed``'s
    ("error" when it raised, "missing" for a stub, "timeout", …)."""

    def __init__(self, reason: str, kind: str, error_types: tuple[str, ...] = ()):
        super().__init__(reason)
        self.kind = kind
        self.error_types = error_types   # as StudentCallFailed's: the builtin classes of what it raised


def helper_sets(built_on) -> list[tuple[str, ...]]:
    """``built_on`` as a list of alternatives, each a tuple of "module.function" names: one name,
    a sequence of names (one alternative) or a sequence of sequences (tried in order)."""
    if not built_on:
        return []
    if isinstance(built_on, str):
        return [(built_on,)]
    items = list(built_on)
    if all(isinstance(x, str) for x in items):
        return [tuple(items)]
    return [(x,) if isinstance(x, str) else tuple(x) for x in items]


def points_text(points: float) -> str:
    """``"1 pt"``, ``"0.5 pts"``, ``"3.33 pts"`` (two decimals at most)."""
    shown = f"{round(points, 2):g}"
    return f"{shown} pt" if shown == "1" else f"{shown} pts"


def all_zero(value) -> bool:
    """True when ``value`` is float zeros only (an array, a float, or a tuple/list/dict of them)."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f" and not np.any(value)
    if isinstance(value, (float, np.floating)):
        return value == 0.0
    if isinstance(value, (tuple, list)):
        return len(value) > 0 and all(all_zero(v) for v in value)
    if isinstance(value, dict):
        return len(value) > 0 and all(all_zero(v) for v in value.values())
    return False


def short_name(target: str) -> str:
    """``"gates.add_forward"`` -> ``"add_forward"``."""
    return target.rpartition(".")[2]


@dataclass
class Part:
    """One part of a question: its points, whether it passed, why not; what it checked.

    ``checks`` counts value checks made inside it, ``trivial`` those of a raise or of
    an all-zero expected value; ``functions`` the student functions it called.
    """

    points: float
    label: str
    passed: bool = False
    reason: str = ""
    functions: set = field(default_factory=set)
    checks: int = 0
    trivial: int = 0
    passed_label: str | None = None
    probed: bool = False   # a blame probe ran for it (at most one per part)

    @property
    def is_trivial(self) -> bool:
        """Every value checked in it was a raise or all zeros (and it checked one)."""
        return self.checks > 0 and self.trivial == self.checks

    def line(self) -> str:
        """The output line: ``✓ label (1 pt)`` or ``✗ label (−1 pt): reason``."""
        if self.passed:
            return f"✓ {self.passed_label or self.label} ({points_text(self.points)})"
        return f"✗ {self.label} (−{points_text(self.points)}): {self.reason}"


@contextmanager
def without_local_constants():
    """Hypothesis draws from the strategy alone while this is active.

    Recent hypothesis versions mix literals found in the "local" modules loaded in
    the process into about 5 % of draws, and cache them under ``.hypothesis/constants``
    in the current directory. Here the local modules are the grader's own, and which
    of them are loaded differs between a Gradescope run, ``nnkit grade`` and a
    ``regrade`` process that has graded other submissions before, as does any edit
    of them: the same submission would see other examples. Version-dependent private
    API: where it is missing (older pins, such as the Gradescope runtime's), there is
    nothing to turn off.
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:
        yield
        return
    if not hasattr(providers, "_get_local_constants"):
        yield
        return
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if cache is not None:
        cache.cache.clear()   # permitted values computed with the local constants of earlier runs
    try:
        with mock.patch.object(providers, "_get_local_constants", lambda: Constants()):
            yield
    finally:
        if cache is not None:
            cache.cache.clear()


class Question:
    """The context of one graded test run: seeded inputs, calls, parts and their points.

    Built by the runner with the test's ``QuestionSpec``, the worker client, the
    ``Reference`` and the submission's seed; ``rng`` is a numpy Generator seeded
    from (submission seed, question number).
    """

    def __init__(self, spec: QuestionSpec, client, reference, seed: int = 0):
        self.spec = spec
        self.number = spec.number
        self.points = spec.points
        self.client = client
        self.reference = reference
        self.seed = int(seed)
        self.rng = np.random.default_rng(derive_seed(self.seed, spec.number, "rng"))
        self.parts: list[Part] = []
        self.notes: list[str] = []
        self._active: Part | None = None
        self._examples_runs = 0
        self._probes = 0

    # -- the two sides ----------------------------------------------------
    def ref(self, target: str):
        """The reference function ``"module.function"`` (trusted code)."""
        return self.reference(target)

    def expected(self, target: str, *args, **kwargs):
        """The reference's answer on copies of the inputs; GraderError if the reference fails."""
        return expected_value(self.reference, target, args, kwargs)

    def expected_answers(self, target: str, *args, built_on=(), **kwargs):
        """The answers of ``target(*args, **kwargs)`` that are right, lazily: the reference's own,
        then for each alternative of ``built_on`` (``helper_sets``) the reference's built on the
        student's own versions of those helpers, called through the worker (an alternative whose
        helpers fail or return something unusable is skipped: it explains nothing)."""
        yield self.expected(target, *args, **kwargs)
        yield from self._built_on_answers(target, args, kwargs, built_on)

    def _built_on_answers(self, target: str, args, kwargs, built_on):
        """``expected_answers`` without the plain reference's (for callers that have it already)."""
        for helpers in helper_sets(built_on):
            patch = self._students_helpers(target, helpers)
            try:
                with patch:
                    answer = self.expected(target, *args, **kwargs)
            except GraderError:
                continue
            yield answer

    def _students_helpers(self, target: str, helpers: tuple[str, ...]):
        """A patch of the reference ``target``'s module globals: each of ``helpers`` the student's,
        called through the worker; GraderError when ``target``'s module has no such function."""
        function = self.ref(target)
        patch = {}
        for helper in helpers:
            name = short_name(helper)
            if not callable(function.__globals__.get(name)):
                raise GraderError(f"{self._where()}: built_on={helpers!r}: the reference's {target} has no "
                                  f"function {name} in its module to build on")
            patch[name] = functools.partial(self.student, helper)
        return mock.patch.dict(function.__globals__, patch)

    def _fails_too(self, target: str, args, kwargs, built_on, failure) -> bool:
        """Did the student's call fail (``failure``: CallFailed or StudentCallFailed) as the reference
        built on the student's ``built_on`` helpers does on these inputs? True when the call raised
        (kind "error", not a stub or a timeout) and some alternative of ``built_on`` raises an error
        of a class the student's was, in the reference or in one of the student's helpers that
        raised; a helper that is a stub, missing or timed out explains nothing."""
        if not built_on or getattr(failure, "kind", None) != "error":
            return False
        raised = set(getattr(failure, "error_types", ())) - {"Exception", "BaseException"}
        for helpers in helper_sets(built_on):
            try:
                with self._students_helpers(target, helpers):
                    self.expected(target, *args, **kwargs)
            except GraderError as exc:
                cause = exc.__cause__
                if isinstance(cause, StudentCallFailed):
                    if cause.kind != "error":
                        continue
                    classes = set(cause.error_types)
                else:
                    classes = {c.__name__ for c in type(cause).__mro__}
                if raised & classes:
                    return True
        return False

    def blame(self, failure, target: str, *args, call_timeout: float | None = None, **kwargs) -> str:
        """The hint for a failed check of ``target(*args, **kwargs)`` (``failure``: the CheckFailed
        or StudentCallFailed): " — hint: loss_and_grads calls layers.linear_backward (nnkit/layers.py,
        carried from Homework 1), which is wrong on the inputs it gets here: …", or "".

        "" without any call when the failure is a stub, a missing function, a timeout (only a
        wrong value or a raised error is probed), when this part was probed already, or (outside
        a part) after ``MAX_PROBES`` probes in this question. See ``autograder.authoring.blame``.
        """
        kind = getattr(failure, "kind", None)
        if target.startswith("@") or (isinstance(failure, (CallFailed, StudentCallFailed)) and kind not in PROBED_KINDS):
            return ""
        part = self._active
        if part is not None:
            if part.probed:
                return ""
            part.probed = True
        elif self._probes >= MAX_PROBES:
            return ""
        self._probes += 1
        manifest = homework_manifest(str(Path(self.spec.file).resolve().parent.parent))
        try:
            return blame(self.reference, self.client, target, args, kwargs,
                         lambda callee, got, want: self._value_reason(callee, got, want, None, 1e-6, 1e-8),
                         manifest, call_timeout)
        except (GraderError, TypeError, ValueError, KeyError, IndexError, AttributeError):
            return ""   # a hint that cannot be made (inputs the worker cannot take): none, never a grader error

    def student(self, target: str, *args, call_timeout: float | None = None, **kwargs):
        """The student's ``target(*args, **kwargs)`` in the worker; StudentCallFailed on any failure."""
        if self._active is not None:
            self._active.functions.add(target)
        return call_student(self.client, target, args, kwargs, call_timeout)

    def call(self, target: str, *args, call_timeout: float | None = None, **kwargs):
        """``student`` with a failed call turned into CheckFailed (for use inside a part's check)."""
        try:
            return self.student(target, *args, call_timeout=call_timeout, **kwargs)
        except StudentCallFailed as exc:
            raise CallFailed(exc.reason, exc.kind, exc.error_types) from None

    # -- checks without points (inside a part) ----------------------------
    def check(self, target: str, *args, rtol: float = 1e-6, atol: float = 1e-8, name: str | None = None,
              case: str | None = None, call_timeout: float | None = None, built_on=(), reason_of=None, **kwargs):
        """Reference and student on the same inputs; CheckFailed with the reason on a mismatch
        (followed by ``(case)`` when given, to say which input failed, then the blame hint
        naming a wrong function ``target`` builds on, if the probe finds one: ``blame``).

        A backward function's tuple is checked per gradient, each named after its
        input (dx, dW, ...). Returns the student's (checked) value.
        - built_on: helpers "module.function" (or alternatives of them, ``helper_sets``): the
          answer is right too when it equals the reference's built on the student's own
          helpers (``expected_answers``); the reason is always the one against the plain reference.
          A call that raised is right too when the reference built on the student's helpers
          raises the same error on these inputs (``_fails_too``; then None is returned, and the
          check counts as trivial: it pays only with a correct value of ``target`` in the question)
        - reason_of: ``reason_of(got, want) -> str | None`` instead of the exact comparison
          (e.g. up to the signs of components); ``rtol``, ``atol`` and ``name`` are then unused
        """
        try:
            return self._check(target, args, kwargs, rtol, atol, name, call_timeout, built_on, reason_of)
        except CheckFailed as exc:
            hint = self.blame(exc, target, *args, call_timeout=call_timeout, **kwargs)
            if case is None and not hint:
                raise
            raise CheckFailed(f"{exc}{f' ({case})' if case is not None else ''}{hint}") from None

    def _check(self, target, args, kwargs, rtol, atol, name, call_timeout, built_on=(), reason_of=None):
        answers = self.expected_answers(target, *args, built_on=built_on, **kwargs)
        expected = next(answers)
        self._count_check(all_zero(expected))
        try:
            got = self.call(target, *args, call_timeout=call_timeout, **kwargs)
        except CallFailed as exc:
            if not self._fails_too(target, args, kwargs, built_on, exc):
                raise
            if self._active is not None and not all_zero(expected):
                self._active.trivial += 1   # an error, even the right one, pays only with a value
            return None
        compare = reason_of or (lambda g, e: self._value_reason(target, g, e, name, rtol, atol))
        reason = compare(got, expected)
        if not reason:
            return got
        for want in answers:   # built on the student's helpers: computed only now, the plain one failed
            try:
                if not compare(got, want):
                    return got
            except Exception:  # noqa: BLE001 - the student's helpers gave something the comparison cannot take
                continue
        raise CheckFailed(reason)

    @staticmethod
    def _value_reason(target, got, expected, name, rtol, atol) -> str | None:
        """None when ``got`` is ``expected`` (``check_value``; a backward function's tuple per
        gradient, named dx, dW, … unless ``name`` is given), else the reason."""
        grads = gradient_names(target)
        if name is None and isinstance(expected, tuple) and len(grads) == len(expected):
            if type(got) not in (tuple, list) or len(got) != len(expected):
                return f"{short_name(target)}: expected a tuple ({', '.join(grads)}), got {describe(got)}"
            reasons = [check_value(g, e, n, rtol=rtol, atol=atol) for g, e, n in zip(got, expected, grads)]
            return next((r for r in reasons if r), None)
        return check_value(got, expected, name or short_name(target), rtol=rtol, atol=atol)

    def check_raises(self, target: str, *args, **kwargs) -> None:
        """The call must raise ValueError (or a subclass) on bad arguments; CheckFailed otherwise."""
        self._count_check(True)
        try:
            got = self.student(target, *args, **kwargs)
        except StudentCallFailed as exc:
            if exc.kind == "error" and "ValueError" in exc.error_types:
                return
            raise CheckFailed(f"expected ValueError; {exc.reason}") from None
        raise CheckFailed(f"{short_name(target)} returned {describe(got)} instead of raising ValueError")

    # -- parts ------------------------------------------------------------
    def part(self, points: float, label: str, check=None):
        """A part worth ``points``: passes unless ``check()`` raises CheckFailed, a failed call or
        AssertionError (any other exception from checking a malformed answer also loses it).
        Returns whether it passed.

        Without ``check``, a block: ``with q.part(2.5, "sigmoid_forward"): ...`` passes when
        every check in the block does; the first failure ends the block and loses the part
        (``.passed`` on the value of the ``with``)."""
        block = _PartBlock(self, points, label)
        if check is None:
            return block
        with block:
            check()
        return block.passed

    def lose(self, points: float, label: str, reason: str) -> None:
        """A part that cannot be checked (an earlier step failed): lost with ``reason``."""
        part = self._open(points, label)
        part.reason = reason
        self._active = None

    def compare(self, points: float, target: str, *args, label: str | None = None, **kwargs):
        """A part: ``check(target, *args, **kwargs)`` (``built_on=``, ``reason_of=``, ``case=`` as
        there). Returns the student's value, None if lost (or right by raising as the reference
        built on the student's helpers does)."""
        got = []
        self.part(points, label or short_name(target), lambda: got.append(self.check(target, *args, **kwargs)))
        return got[0] if got else None

    def raises(self, points: float, target: str, *args, label: str | None = None, **kwargs) -> bool:
        """A part: ``target`` raises ValueError on these (bad) arguments. Pays only together with a
        correct value of the same function in this question."""
        return self.part(points, label or f"{short_name(target)} raises ValueError",
                         lambda: self.check_raises(target, *args, **kwargs))

    def examples(self, points: float, label: str, strategy, check, max_examples: int = 25) -> bool:
        """A part: ``check(example)`` passes on every hypothesis example of ``strategy``
        (``check_examples``)."""
        return self.part(points, label, lambda: self.check_examples(strategy, check, max_examples))

    def check_examples(self, strategy, check, max_examples: int = 25) -> None:
        """``check(example)`` on hypothesis examples of ``strategy``; CheckFailed with the first failure.

        Seeded from (submission seed, question number, how many examples were drawn
        before in this question): a regrade repeats it exactly, another submission
        sees other examples. No shrinking (time, and a shrunk one-entry case makes
        diagnoses guess), no example database and no literals of the grader's own modules
        mixed into the examples (``without_local_constants``).
        """
        failures: list[str] = []

        def one(example):
            if not failures:
                try:
                    check(example)
                except (CheckFailed, StudentCallFailed) as exc:
                    failures.append(str(exc))

        self._run_hypothesis(strategy, one, max_examples)
        if failures:
            raise CheckFailed(failures[0])

    def draw(self, strategy, n: int) -> list:
        """Up to ``n`` distinct hypothesis examples of ``strategy`` (seeded like ``check_examples``),
        as a list: random cases to check inside parts or to pass to ``gradients(cases=...)``."""
        drawn: list = []
        self._run_hypothesis(strategy, drawn.append, n)
        return drawn

    def case(self, *args, label: str | None = None, kinks=None, batch: int | None = None, **kwargs) -> "Case":
        """One input of a function for ``gradients(cases=[...])``: its arguments, a label for
        messages, and the diagnosis hints (``kinks`` mask, batch size)."""
        return Case(args, kwargs, label, kinks, batch)

    def gradients(self, points: float, target: str, *args, cases=None, label: str | None = None, names=None,
                  kinks=None, batch: int | None = None, call_timeout: float | None = None, built_on=(),
                  **kwargs) -> bool:
        """Parts: each gradient a backward function returns, ``points`` split evenly among them.

        One input (``*args, **kwargs``), or several (``cases=[q.case(...), ...]``): a
        gradient's part passes only when it is right on every case (one mistake, its
        whole share), with the first failing case's diagnosis.
        - names: one per returned value (default: dx, dW, … after its inputs)
        - kinks: a bool mask (or {name: mask}) of inputs at kinks/ties, for the diagnosis
        - batch: the batch size N, so that a missing or extra 1/N is named
        - built_on: helpers "module.function" (as in ``check``): a gradient is right on a case too
          when it equals that gradient of the reference built on the student's own helpers
          (computed only for a case where a gradient is wrong), and a call that raised is right on
          a case where that reference raises the same error (as in ``check``: a trivial case); the
          diagnosis is always the one against the plain reference
        Returned values that are not arrays in the reference's answer (a loss) are not graded here.
        """
        label = label or short_name(target)
        cases = self._cases(target, args, kwargs, cases, kinks, batch)
        wanted = [self._expected_gradients(target, c, names) for c in cases]
        names, graded = wanted[0][1], wanted[0][2]
        verdicts = {i: None for i in graded}            # gradient index -> first failure's message
        trivial = {i: True for i in graded}
        for case, (expected, _, _) in zip(cases, wanted):
            reasons, raised_too = self._case_verdicts(target, case, expected, names, graded, call_timeout, built_on)
            for i, reason in reasons.items():
                trivial[i] = trivial[i] and (raised_too or all_zero(expected[i]))
                if reason and verdicts[i] is None:
                    verdicts[i] = f"{reason} ({case.label})" if case.label and len(cases) > 1 else reason
        reasons = set(verdicts.values())
        if len(graded) > 1 and len(reasons) == 1 and None not in reasons:   # e.g. the call failed: one line
            return self._record(points, label, target, reasons.pop(), all(trivial.values()))
        each = points / len(graded)
        ok = True
        for i in graded:
            ok = self._record(each, label, target, verdicts[i], trivial[i], passed_label=f"{label}: {names[i]}") and ok
        return ok

    def loss_and_grads(self, points: float, target: str, *args, cases=None, loss_points: float | None = None,
                       label: str | None = None, grad_name: str | None = None, kinks=None,
                       batch: int | None = None, call_timeout: float | None = None, **kwargs) -> bool:
        """Parts of a ``(loss, grads)`` answer: the loss worth ``loss_points`` (default: an equal
        share), the rest of ``points`` split per entry of the grads dict, or given to the one
        gradient array (named ``grad_name``, default "d" + the function's first parameter).

        One input (``*args, **kwargs``) or several (``cases=[q.case(...), ...]``): each of the
        loss and the gradients passes only when right on every case. ``kinks`` and ``batch``
        only help the diagnosis.
        """
        label = label or short_name(target)
        cases = self._cases(target, args, kwargs, cases, kinks, batch)
        wanted = [self._expected_pair(target, c.args, c.kwargs) for c in cases]
        grads0 = wanted[0][1]
        keys = sorted(grads0) if isinstance(grads0, dict) else [grad_name or self._first_gradient_name(target)]
        if loss_points is None:
            loss_points = points / (1 + len(keys))
        if not 0 < loss_points < points:
            raise GraderError(f"{self._where()}: loss_and_grads of {target}: loss_points {loss_points:g} "
                              f"must lie strictly between 0 and points {points:g}")
        verdicts = {k: None for k in ["loss", *keys]}     # component -> first failure's message
        trivial = {k: True for k in verdicts}
        for case, (loss, grads) in zip(cases, wanted):
            expected = {"loss": loss, **(grads if isinstance(grads, dict) else {keys[0]: grads})}
            for k, reason in self._pair_verdicts(target, case, loss, grads, keys, call_timeout).items():
                trivial[k] = trivial[k] and all_zero(expected.get(k))
                if reason and verdicts[k] is None:
                    verdicts[k] = f"{reason} ({case.label})" if case.label and len(cases) > 1 else reason
        each = (points - loss_points) / len(keys)
        reasons = set(verdicts.values())
        if len(reasons) == 1 and None not in reasons:    # e.g. the call failed: one line
            return self._record(points, label, target, reasons.pop(), all(trivial.values()))
        ok = self._record(loss_points, label, target, verdicts["loss"], trivial["loss"], passed_label=f"{label}: loss")
        grads_label = f"{label}: grads" if isinstance(grads0, dict) else label
        for k in keys:
            ok = self._record(each, grads_label, target, verdicts[k], trivial[k], passed_label=f"{label}: {k}") and ok
        return ok

    def directional(self, points: float, backward: str, forward: str, dout, *inputs, wrt=None,
                    label: str | None = None, call_timeout: float | None = None, **kwargs) -> bool:
        """Parts: gradients of ``backward(dout, *inputs, **kwargs)`` checked along random ±1
        directions against central differences of the reference's ``forward(*inputs, **kwargs)``.

        ``wrt``: the gradient names to check (default all, e.g. dx, dw, db), ``points`` split
        evenly among them. For inputs too large for an entry-by-entry comparison.
        """
        label = label or f"{short_name(backward)} along random ±1 directions"
        names = gradient_names(backward)
        wrt = list(wrt or names)
        unknown = [n for n in wrt if n not in names]
        if unknown or len(names) != len(inputs):
            raise GraderError(f"{self._where()}: directional check of {backward}: gradients {names} "
                              f"for {len(inputs)} inputs, asked for {wrt}")
        got = self._call_for_parts(points, label, backward, (dout, *inputs), kwargs, call_timeout)
        if got is None:
            return False
        if type(got) not in (tuple, list) or len(got) != len(names):
            self.lose(points, label, f"expected a tuple ({', '.join(names)}), got {describe(got)}")
            return False
        fwd = self.ref(forward)
        each = points / len(wrt)
        ok = True
        for name in wrt:
            i = names.index(name)
            ok = self.part(each, f"{label}: {name}", self._direction_check(
                fwd, inputs, i, got[i], dout, name, kwargs, backward)) and ok
        return ok

    def accuracy_tiers(self, points_each: float, measure, half: float, full: float) -> None:
        """Two parts for a trained model: reaching ``half``, then reaching ``full``.

        ``measure()`` trains and returns the test accuracy (raising CheckFailed when
        training itself fails); the second part is lost without running anything
        when the first failed.
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

    # -- the runner's side --------------------------------------------------
    def lose_rest(self, reason: str) -> None:
        """The test stopped early (a failed call outside any part): the points not yet given
        to parts are lost with ``reason``."""
        self._active = None
        rest = self.points - self.declared
        if rest > 1e-9:
            self.lose(rest, "the rest of this question", reason)
        else:
            self.notes.append(f"  note: the test stopped early: {reason}")

    @property
    def declared(self) -> float:
        """Points of the parts so far (passed or lost)."""
        return sum(p.points for p in self.parts)

    def settle(self) -> None:
        """Apply "no points for doing nothing": a trivial part (a raise, all zeros) that passed
        keeps its points only if a non-trivial passed part checked the same function."""
        proven = set()
        for p in self.parts:
            if p.passed and not p.is_trivial:
                proven |= p.functions
        for p in self.parts:
            if p.passed and p.is_trivial and not (p.functions & proven):
                p.passed = False
                names = ", ".join(sorted(short_name(f) for f in p.functions)) or "the function"
                p.reason = PAYS_WITH.format(names)

    @property
    def earned(self) -> float:
        """Points of the parts that passed."""
        return sum(p.points for p in self.parts if p.passed)

    def output_lines(self) -> list[str]:
        """One line per part, then notes."""
        return [p.line() for p in self.parts] + self.notes

    # -- internals ----------------------------------------------------------
    def _open(self, points, label: str) -> Part:
        if self._active is not None:
            raise GraderError(f"{self._where()}: part {label!r} started inside part {self._active.label!r}: "
                              "parts cannot be nested")
        if isinstance(points, bool) or not isinstance(points, (int, float, np.integer, np.floating)) \
                or not points > 0:
            raise GraderError(f"{self._where()}: part {label!r} has points {points!r}; expected a number > 0")
        part = Part(float(points), str(label))
        self.parts.append(part)
        self._active = part
        return part

    def _count_check(self, trivial: bool) -> None:
        if self._active is not None:
            self._active.checks += 1
            self._active.trivial += bool(trivial)

    def _where(self) -> str:
        """``file:line`` of the innermost frame in the hidden test's file (else its definition)."""
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self.spec.file:
                return f"{Path(self.spec.file).name}:{frame.f_lineno}"
            frame = frame.f_back
        return self.spec.where

    def _call_for_parts(self, points, label, target, args, kwargs, call_timeout):
        """The student's answer for a group of parts, or None after losing all ``points``."""
        try:
            return call_student(self.client, target, args, kwargs, call_timeout)
        except StudentCallFailed as exc:
            self.lose(points, label, exc.reason)
            self.parts[-1].functions.add(target)
            return None

    def _record(self, points, label, target, reason: str | None, trivial: bool, passed_label=None) -> bool:
        part = self._open(points, label)
        self._active = None
        part.functions.add(target)
        part.checks, part.trivial = 1, int(trivial)
        part.passed = reason is None
        part.reason = reason or ""
        part.passed_label = passed_label
        return part.passed

    def _cases(self, target, args, kwargs, cases, kinks, batch) -> list:
        """The inputs of a multi-input checker: ``cases``, or the one case of ``args``/``kwargs``."""
        if cases is None:
            return [Case(args, kwargs, None, kinks, batch)]
        if args or kwargs:
            raise GraderError(f"{self._where()}: {target}: give the inputs either as arguments "
                              "or as cases=[...], not both")
        if not cases:
            raise GraderError(f"{self._where()}: {target}: cases=[] has no input")
        return list(cases)

    def _pair_verdicts(self, target, case, loss, grads, keys, call_timeout) -> dict:
        """{"loss" and each gradient key: None if right on ``case``, else the reason} (one call)."""
        try:
            got = call_student(self.client, target, case.args, case.kwargs, call_timeout)
        except StudentCallFailed as exc:
            return {k: exc.reason for k in ["loss", *keys]}
        if type(got) not in (tuple, list) or len(got) != 2:
            return {k: f"expected a pair (loss, grads), got {describe(got)}" for k in ["loss", *keys]}
        verdicts = {"loss": self._loss_reason(got[0], loss)}
        masks = case.kinks if isinstance(case.kinks, dict) else {k: case.kinks for k in keys}
        if not isinstance(grads, dict):
            verdicts[keys[0]] = self._gradient_reason(got[1], grads, keys[0], masks.get(keys[0]), case.batch)
            return verdicts
        if type(got[1]) is not dict:
            reason = f"expected a dict with keys {keys}, got {describe(got[1])}"
            return {**verdicts, **{k: reason for k in keys}}
        for k in keys:
            verdicts[k] = (f"grads has no key {k!r}" if k not in got[1] else
                           self._gradient_reason(got[1][k], grads[k], k, masks.get(k), case.batch))
        extra = sorted(map(str, set(got[1]) - set(grads)))
        note = f"  note: {short_name(target)}: grads has unexpected keys {quote(extra)}"   # the student's keys
        if extra and note not in self.notes:
            self.notes.append(note)
        return verdicts

    @staticmethod
    def _loss_reason(value, loss) -> str | None:
        """None when ``value`` is the right loss (a number), else the reason."""
        try:
            return check_scalar(value, loss, "loss")
        except Exception as exc:  # a value so odd that checking it broke
            return f"loss: the returned value could not be checked ({type(exc).__name__})"

    def _expected_pair(self, target, args, kwargs):
        expected = self.expected(target, *args, **kwargs)
        if not (isinstance(expected, tuple) and len(expected) == 2):
            raise GraderError(f"{self._where()}: loss_and_grads of {target}: the reference returns "
                              f"{describe(expected)}, not a pair (loss, grads)")
        return expected

    def _first_gradient_name(self, target: str) -> str:
        module, _, func = target.partition(".")
        params = signature_params(API.get(module, {}).get(func, "()")) or []
        return f"d{params[0][0]}" if params else "grad"

    def _direction_check(self, fwd, inputs, i, value, dout, name, kwargs, backward):
        def check():
            like = np.asarray(inputs[i])
            if type(value) is not np.ndarray or value.shape != like.shape:
                raise CheckFailed(f"{name}: expected an array of shape {like.shape}, got {describe(value)}")
            if value.dtype != np.float64:
                raise CheckFailed(f"{name}: dtype {value.dtype}, expected float64")
            self._count_check(False)
            self._active.functions.add(backward)

            def f(v):
                moved = list(inputs)
                moved[i] = v
                return fwd(*moved, **kwargs)

            d = directional_check(f, like, value, dout, seed=derive_seed(self.seed, self.number, "direction", name))
            if not d.ok:
                raise CheckFailed(f"{name}: {d.message}")
        return check

    def _run_hypothesis(self, strategy, each, max_examples: int) -> None:
        """``each(example)`` on up to ``max_examples`` examples, seeded per submission, question and run."""
        self._examples_runs += 1

        @hypothesis_seed(derive_seed(self.seed, self.number, "examples", self._examples_runs))
        @settings(max_examples=max_examples, derandomize=False, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], print_blob=False,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(example):
            each(example)

        with without_local_constants():
            run()

    def _expected_gradients(self, target: str, case: "Case", names):
        """(the reference's values as a tuple, their names, indices of the graded arrays) for ``case``."""
        expected = self.expected(target, *case.args, **case.kwargs)
        expected = expected if isinstance(expected, tuple) else (expected,)
        names = list(names or gradient_names(target) or [short_name(target)])
        if len(names) != len(expected):
            raise GraderError(f"{self._where()}: gradients of {target}: {len(names)} names {names} for "
                              f"{len(expected)} returned values")
        graded = [i for i, e in enumerate(expected) if isinstance(e, np.ndarray)]
        if not graded:
            raise GraderError(f"{self._where()}: gradients of {target}: the reference returns no arrays")
        return expected, names, graded

    def _case_verdicts(self, target, case, expected, names, graded, call_timeout, built_on=()):
        """``({gradient index: None if right on case, else the reason}, raised_too)`` (one call to
        the student; a wrong gradient is right after all when the reference built on the student's
        ``built_on`` helpers gives it, ``_built_on_gradients``, and a call that raised is when that
        reference raises the same error, ``_fails_too``: then ``raised_too`` is True)."""
        try:
            got = call_student(self.client, target, case.args, case.kwargs, call_timeout)
        except StudentCallFailed as exc:
            if self._fails_too(target, case.args, case.kwargs, built_on, exc):
                return {i: None for i in graded}, True
            return {i: exc.reason for i in graded}, False
        if len(names) == 1 and not isinstance(got, (tuple, list)):
            got = (got,)
        if type(got) not in (tuple, list) or len(got) != len(names):
            return {i: f"expected a tuple ({', '.join(names)}), got {describe(got)}" for i in graded}, False
        masks = case.kinks if isinstance(case.kinks, dict) else {n: case.kinks for n in names}
        reasons = {i: self._gradient_reason(got[i], expected[i], names[i], masks.get(names[i]), case.batch)
                   for i in graded}
        if any(reasons.values()):  # outputs in each other's slots show only in the whole tuple
            try:
                whole = diagnose_outputs(tuple(got), tuple(expected), tuple(names), kinks=masks, batch=case.batch)
            except Exception:  # noqa: BLE001 - values too odd to compare across slots: keep the reasons above
                whole = [None] * len(names)
            for i in graded:
                if reasons[i] and whole[i] is not None and whole[i].kind == "swapped":
                    reasons[i] = whole[i].message
        if any(reasons.values()) and built_on:
            for i in self._built_on_gradients(target, case, got, names, [i for i in graded if reasons[i]], built_on):
                reasons[i] = None
        return reasons, False

    def _built_on_gradients(self, target, case, got, names, wrong, built_on) -> set:
        """The indices of ``wrong`` whose gradient in ``got`` equals the one of the reference built on
        the student's helpers (``_built_on_answers``)."""
        right = set()
        masks = case.kinks if isinstance(case.kinks, dict) else {n: case.kinks for n in names}
        for want in self._built_on_answers(target, case.args, case.kwargs, built_on):
            want = want if isinstance(want, tuple) else (want,)
            if len(want) != len(names):
                continue   # the student's helpers made the reference return something else: explains nothing
            right |= {i for i in wrong if isinstance(want[i], np.ndarray) and self._gradient_reason(
                got[i], want[i], names[i], masks.get(names[i]), case.batch) is None}
        return right

    @staticmethod
    def _gradient_reason(value, want, name, kinks, batch) -> str | None:
        """None when ``value`` is the right gradient ``want`` (float64), else the diagnosis."""
        try:
            d = diagnose_gradient(value, want, name, kinks=kinks, batch=batch)
        except Exception as exc:  # a value so odd that diagnosing it broke
            return f"{name}: the returned value could not be checked ({type(exc).__name__})"
        if not d.ok:
            return d.message
        if type(value) is np.ndarray and value.dtype != np.float64:
            return f"{name}: dtype {value.dtype}, expected float64"
        return None


@dataclass
class Case:
    """One input of a function: positional and keyword arguments, a label, diagnosis hints."""

    args: tuple
    kwargs: dict
    label: str | None = None
    kinks: object = None
    batch: int | None = None


class _PartBlock:
    """``with q.part(points, label):`` — the part passes when the block ends without a failure."""

    def __init__(self, q: Question, points, label: str):
        self.q, self.points, self.label = q, points, label
        self.passed = False
        self._part: Part | None = None

    def __enter__(self):
        self._part = self.q._open(self.points, self.label)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        part, self.q._active = self._part, None
        if exc_type is None:
            part.passed = self.passed = True
            return False
        if issubclass(exc_type, EXPECTED_FAILURES):
            part.reason = str(exc) or exc_type.__name__
            return True
        if issubclass(exc_type, GraderError) or not issubclass(exc_type, Exception):
            part.reason = "not checked (the grader failed)"
            return False
        # an answer so malformed that checking it broke (e.g. not indexable)
        part.reason = f"the returned value could not be checked ({exc_type.__name__}: {str(exc)[:200]})"
        return True
