"""Grading processes for regrade and audit: one submission, or a stream of them.

``python -m autograder.instructor.grade_one GRADER HOMEWORK REFERENCE``
serves requests: one JSON line ``{"submission": ..., "out": ...}`` per
submission on stdin, one JSON line ``{"ok": true}`` or ``{"ok": false,
"error": "..."}`` per answer on stdout (the protocol's own copy of stdout:
anything else printing to stdout goes to stderr). A long-lived process pays
the grader's start-up (imports, caches: about 1.5 s) once instead of once per
submission; the parent kills it and starts a new one when a submission hangs
or the process dies, so a failure still takes down only its own row.

GRADER is ``module:function`` with ``grade_submission``'s signature (the real
one by default; tests inject a fake). ``out`` appears only complete (written
to a temporary file, then renamed), so an interrupted run never leaves a
half-written results.json behind. The submission itself never runs here: the
grader runs it in its sandboxed worker.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from autograder.atomic import write_json_atomic

DEFAULT_GRADER = "autograder.grading:grade_submission"


def load_grader(spec: str):
    """The function named by ``module:function``; ValueError if the spec is malformed."""
    module, sep, attr = spec.partition(":")
    if not sep or not module or not attr:
        raise ValueError(f"grader must be 'module:function', got {spec!r}")
    return getattr(importlib.import_module(module), attr)


def grade_to_file(grade, submission: Path, homework: Path, reference: Path, out: Path) -> str | None:
    """Grade one submission into ``out``; None on success, else a one-line reason."""
    try:
        results = grade(Path(submission), Path(homework), Path(reference))
    except Exception as exc:  # noqa: BLE001 - a grader bug fails this row only
        return f"the grader raised {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    if not isinstance(results, dict) or "tests" not in results:
        return f"the grader returned {type(results).__name__} without 'tests', not a results.json dict"
    write_json_atomic(Path(out), results, indent=2, sort_keys=True)
    return None


def serve(grader: str, homework: Path, reference: Path) -> int:
    """Answer grading requests from stdin until it closes (see the module docstring)."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # a stray print() must not corrupt the protocol
    sys.stdout = sys.stderr
    grade = load_grader(grader)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        error = grade_to_file(grade, request["submission"], homework, reference, request["out"])
        protocol.write(json.dumps({"ok": error is None, "error": error}) + "\n")
        protocol.flush()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m autograder.instructor.grade_one GRADER HOMEWORK REFERENCE "
              "(requests on stdin)", file=sys.stderr)
        return 2
    return serve(argv[0], Path(argv[1]), Path(argv[2]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
