"""Calling both sides of a hidden test: the reference (here) and the student (in the worker).

- ``Reference``: the reference solution ``reference/nnkit``, imported in this
  trusted process;
- ``expected_value``: the reference's answer on copies of the inputs
  (``FunctionRef`` arguments built locally as the same callables);
- ``call_student``: the student's ``module.function`` through the worker,
  after checking that it exists and has the documented signature;
- ``gradient_names``: ``["dx", "dW", ...]`` of a backward function.

A failure on the grader's side is a ``GraderError`` (never blamed on the
student); a failure of the submission is ``StudentCallFailed`` with the
reason shown to the student.
"""

from __future__ import annotations

import functools
import importlib
import sys
from pathlib import Path

import numpy as np

from autograder.api_spec import API, signature_params
from autograder.grading import trusted
from autograder.worker.protocol import quote_code  # a signature's text is the student's
from autograder.grading.client import StudentCallFailed
from autograder.worker.protocol import FunctionRef


class GraderError(Exception):
    """The grader's own side failed (reference or hidden test): reported as a grader error."""


class Reference:
    """The reference solution, imported in the trusted process from ``reference/nnkit``."""

    def __init__(self, reference_dir: Path):
        self.dir = Path(reference_dir).resolve()
        loaded = sys.modules.get("nnkit")
        if loaded is not None and Path(getattr(loaded, "__file__", "") or "").resolve().parent.parent != self.dir:
            for name in [n for n in sys.modules if n == "nnkit" or n.startswith("nnkit.")]:
                del sys.modules[name]
        if str(self.dir) not in sys.path:
            sys.path.insert(0, str(self.dir))

    def __call__(self, target: str):
        """The reference function of ``"module.function"``."""
        module, _, func = target.partition(".")
        return getattr(importlib.import_module(f"nnkit.{module}"), func)


def copy_args(value):
    """Deep copy of plain data (arrays copied), so the reference cannot alter the student's inputs."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(copy_args(v) for v in value)
    if isinstance(value, dict):
        return {k: copy_args(v) for k, v in value.items()}
    return value


def local_args(value, reference: Reference):
    """A copy for the reference: FunctionRefs become the same callables, built here."""
    if isinstance(value, FunctionRef):
        if value.name.startswith("student:"):
            fn = reference(value.name[len("student:"):])
            return functools.partial(fn, **value.args)
        return trusted.make_local(value.name, copy_args(value.args))
    if isinstance(value, (list, tuple)):
        return type(value)(local_args(v, reference) for v in value)
    if isinstance(value, dict):
        return {k: local_args(v, reference) for k, v in value.items()}
    return copy_args(value)


def expected_value(reference: Reference, target: str, args: tuple, kwargs: dict):
    """The reference's ``target(*args, **kwargs)`` on local copies; GraderError if it fails."""
    try:
        return reference(target)(*local_args(args, reference), **local_args(kwargs, reference))
    except Exception as exc:  # a bad hidden test or reference: never blamed on the student
        raise GraderError(f"the reference's {target} failed on this test's input: {type(exc).__name__}: {exc}") from exc


def gradient_names(target: str) -> list[str]:
    """``["dx", "dW", ...]`` of a backward function: one per input after ``dout`` (its docstring)."""
    module, _, func = target.partition(".")
    sig = API.get(module, {}).get(func)
    if not func.endswith("_backward") or sig is None:
        return []
    names = [n for n, has_default in (signature_params(sig) or []) if not has_default]
    return [f"d{n}" for n in names[1:]]


def signature_ok(student: str, api: str) -> bool:
    """The API's parameters, in order, then only optional extras: a renamed ``**kwargs`` or an
    added keyword with a default costs nothing; a renamed or missing parameter does."""
    got, want = signature_params(student), signature_params(api)
    if got is None or want is None:
        return True  # an exotic signature (annotations with odd reprs): let the calls decide
    # a bare "*" or "**hyper" vs explicit keywords is a style choice: the calls decide
    got = [p for p in got if p[0] not in ("*", "**")]
    want = [p for p in want if p[0] not in ("*", "**")]
    want_names = [n for n, _ in want]
    if [n for n, _ in got[:len(want)]] != want_names:
        return False
    return all(has_default for _, has_default in got[len(want):])


def call_student(client, target: str, args: tuple, kwargs: dict, call_timeout: float | None = None):
    """The student's ``target(*args, **kwargs)`` in the worker; StudentCallFailed on any failure.

    ``target`` is ``"module.function"`` (its module imported and its signature
    checked first) or ``"@procedure"``: a grader procedure run here, on the
    trusted side (``trusted.PROCEDURES``), that calls student functions
    through the worker one step at a time. ``call_timeout`` raises the
    per-call cap for slow but legitimate work; the question's time limit
    still applies.
    """
    if target.startswith("@"):
        def step(inner: str, *a, **k):
            return call_student(client, inner, a, k, call_timeout)

        return trusted.run_procedure(target[1:], copy_args(args), copy_args(kwargs), step)
    module, _, func = target.partition(".")
    info = client.inspect(module, sorted(API.get(module, {})))
    if not info["ok"]:
        raise StudentCallFailed(f"{module}.py could not be imported: {info['error']}", "import")
    sig = info["signatures"].get(func)
    if sig is None:
        raise StudentCallFailed(f"{module}.py has no function {func}", "missing")
    want = API.get(module, {}).get(func)
    if want is not None and not signature_ok(sig, want):
        raise StudentCallFailed(f"{func} has the signature {func}{quote_code(sig)}; its docstring in {module}.py "
                                f"gives {func}{want}", "signature")
    return client.call(target, *copy_args(args), timeout=call_timeout, **copy_args(kwargs))
