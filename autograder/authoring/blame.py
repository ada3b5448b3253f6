"""Which earlier function is to blame: a hint added to a failed check of a later function.

A later function (hw2's ``network.loss_and_grads``) is built on earlier ones:
functions of a carried module (``layers.linear_backward``, from Homework 1)
or of the same homework (``losses.softmax_cross_entropy``). When the student's
later function is wrong because an earlier one is, the bare difference of the
later function's answer does not say where to look. The probe does:

1. ``capture``: the *reference* ``target`` runs on the failed check's inputs
   with every public nnkit function in its module's globals wrapped (found
   automatically, no list by hand), recording the first ``MAX_CAPTURED``
   inputs and outputs of each, in the order they were first called;
2. ``probe``: the *student's* version of each such callee runs through the
   worker on those inputs (first input of each callee, then the last one)
   and is compared with the reference's output; the first that differs (or
   raises) is named, with its file and where it comes from (``origin``:
   "carried from Homework 1", "graded in 2.2").

It is only a hint: it never changes a part's points. Bounded: at most
``MAX_CALLS`` calls into the worker per probe (the context allows one probe
per failed part), none started after ``PROBE_SECONDS`` or when the question
has less than ``MIN_LEFT`` seconds left (a slow submission keeps its time for
the parts still to come); a callee the student has not implemented (NotImplementedError,
missing, wrong signature) is skipped without naming it; the caller only runs a
probe for a wrong value or a raised error, never for a stub, a timeout or a
missing function, so a stub submission pays nothing.
"""

from __future__ import annotations

import functools
import json
import time
import types
from pathlib import Path
from unittest import mock

import numpy as np

from autograder.api_spec import API
from autograder.authoring.calls import GraderError, call_student, copy_args, expected_value
from autograder.grading.client import StudentCallFailed

MAX_CAPTURED = 3    # inputs kept per callee during the reference's run
MAX_CALLS = 8       # calls into the worker of one probe
# a probe calls the student's callees on inputs their own caller handled within its own call, so it
# costs about one call of the target; these caps keep a slow submission's later parts their time
PROBE_SECONDS = 3.0     # a probe makes no new call after this long
MIN_LEFT = 6.0          # seconds the question must have left for a probe to start
SKIPPED_KINDS = ("missing", "import", "signature")  # a callee the student did not write: never named
PROBED_KINDS = ("error",)  # a failed call of the target worth a probe: it raised (not a stub, not a timeout)


def callees(function, target: str) -> dict[str, str]:
    """``{global name: "module.function"}`` of the public nnkit functions ``function``'s module
    can call (its ``__globals__``: imported from other nnkit modules or defined beside it), but
    ``target`` itself. Private helpers (``_num_layers``) are left out: a student need not have them."""
    found = {}
    for name, value in function.__globals__.items():
        if not isinstance(value, types.FunctionType):
            continue
        module = str(getattr(value, "__module__", "") or "")
        if not module.startswith("nnkit."):
            continue
        module = module[len("nnkit."):]
        full = f"{module}.{value.__name__}"
        if value.__name__ in API.get(module, {}) and full != target:
            found[name] = full
    return found


def is_plain(value) -> bool:
    """Plain data that can be sent to the worker as it is: arrays, numbers, strings, None, and
    lists, tuples and dicts of them (a callable argument is not probed)."""
    if value is None or isinstance(value, (np.ndarray, np.generic, bool, int, float, str)):
        return True
    if type(value) in (list, tuple):
        return all(is_plain(v) for v in value)
    if type(value) is dict:
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    return False


def capture(reference, target: str, args: tuple, kwargs: dict) -> dict[str, list]:
    """``{"module.function": [(args, kwargs, output), …]}``: what the reference ``target`` passed to
    each public nnkit function it called on these inputs (copies, at most ``MAX_CAPTURED`` each), in
    the order each was first called; ``{}`` when the reference fails on them."""
    function = reference(target)
    names = callees(function, target)
    records: dict[str, list] = {}

    def wrap(full, original):
        @functools.wraps(original)
        def wrapper(*a, **k):
            kept = records.setdefault(full, [])   # at entry: an outer callee comes before its own callees
            inputs = (copy_args(a), copy_args(k)) if len(kept) < MAX_CAPTURED else None
            out = original(*a, **k)
            if inputs is not None:
                kept.append((*inputs, copy_args(out)))
            return out
        return wrapper

    wrappers = {name: wrap(full, function.__globals__[name]) for name, full in names.items()}
    with mock.patch.dict(function.__globals__, wrappers):
        try:
            expected_value(reference, target, args, kwargs)
        except GraderError:
            return {}
    return {full: kept for full, kept in records.items() if kept}


def probe_inputs(records: dict[str, list]) -> list[tuple[str, tuple]]:
    """``[(callee, (args, kwargs, output)), …]`` to try, in order: the first input of each callee,
    then the last one (another layer's shapes) where it differs; only plain-data inputs."""
    first = [(full, kept[0]) for full, kept in records.items()]
    last = [(full, kept[-1]) for full, kept in records.items() if len(kept) > 1]
    return [(full, rec) for full, rec in first + last if is_plain(rec[0]) and is_plain(rec[1])]


def origin(callee: str, manifest: dict) -> str:
    """``"nnkit/layers.py, carried from Homework 1"``, ``"nnkit/losses.py, graded in 2.2"`` or
    ``"nnkit/losses.py"``: the callee's file and where it is graded, from the homework's manifest
    (``carried``, ``carried_origin``, ``questions``; empty when there is none)."""
    module = callee.partition(".")[0]
    file = f"nnkit/{module}.py"
    if module in manifest.get("carried", []):
        return f"{file}, carried from {manifest.get('carried_origin', {}).get(module, 'an earlier homework')}"
    number = next((q.get("number") for q in manifest.get("questions", []) if callee in q.get("functions", [])), None)
    return f"{file}, graded in {number}" if number else file


@functools.lru_cache(maxsize=8)
def homework_manifest(folder: str) -> dict:
    """``manifest.json`` of the homework folder ``folder`` (the parent of ``hidden_tests/``), as a
    dict; ``{}`` when there is none or it does not parse (the hint then names the file only)."""
    path = Path(folder) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def blame(reference, client, target: str, args: tuple, kwargs: dict, reason_of, manifest: dict,
          call_timeout: float | None = None) -> str:
    """The hint naming the first function ``target`` calls whose student version differs from the
    reference's on the inputs it gets here: ``" — hint: loss_and_grads calls layers.linear_backward
    (nnkit/layers.py, carried from Homework 1), which is wrong on the inputs it gets here: db: shape
    (1, 4), expected (4,)"``, or ``""`` when every callee probed agrees (or none could be probed).

    ``reason_of(callee, got, want)`` is the comparator (None when right). Never raises for what the
    submission does; at most ``MAX_CALLS`` calls into the worker.
    """
    started = time.monotonic()
    deadline = getattr(client, "deadline", None)   # the question's budget, as the worker client shows it
    if deadline is not None and deadline - started < MIN_LEFT:
        return ""
    timeout = PROBE_SECONDS if call_timeout is None else min(call_timeout, PROBE_SECONDS)
    calls = 0
    skipped: set[str] = set()
    for callee, (a, k, want) in probe_inputs(capture(reference, target, args, kwargs)):
        if callee in skipped:
            continue
        if calls >= MAX_CALLS or time.monotonic() - started > PROBE_SECONDS:
            break
        calls += 1
        try:
            got = call_student(client, callee, a, k, timeout)
        except StudentCallFailed as exc:
            if exc.kind in PROBED_KINDS:
                return _hint(target, callee, manifest, f"fails on the inputs it gets here: {exc.reason}")
            if exc.kind in SKIPPED_KINDS:
                skipped.add(callee)   # not written (a stub): the target cannot be built on it
                continue
            break                     # a timeout, a dead worker: no more of the question's time on a hint
        try:
            reason = reason_of(callee, got, want)
        except Exception:  # noqa: BLE001 - a value too odd to compare: not a clear hint
            reason = None
        if reason:
            return _hint(target, callee, manifest, f"is wrong on the inputs it gets here: {reason}")
    return ""


def _hint(target: str, callee: str, manifest: dict, what: str) -> str:
    caller = target.rpartition(".")[2]
    return f" — hint: {caller} calls {callee} ({origin(callee, manifest)}), which {what}"
