"""Grade one submission in a fresh process and write its results.json atomically.

``python -m autograder.instructor.grade_one GRADER SUBMISSION HOMEWORK REFERENCE OUT``

GRADER is ``module:function`` with ``grade_submission``'s signature (the real
one by default; tests inject a fake). The regrade runs one such process per
submission so that a grader that hangs or dies takes down only its own row,
and can be killed by the parent's timeout. OUT appears only complete
(written to a temporary file, then renamed), so an interrupted run never
leaves a half-written results.json behind.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

DEFAULT_GRADER = "autograder.grading:grade_submission"


def load_grader(spec: str):
    """The function named by ``module:function``; ValueError if the spec is malformed."""
    module, sep, attr = spec.partition(":")
    if not sep or not module or not attr:
        raise ValueError(f"grader must be 'module:function', got {spec!r}")
    return getattr(importlib.import_module(module), attr)


def write_json_atomic(path: Path, data: dict) -> None:
    """Write ``data`` as JSON to ``path``: to ``path.tmp-<pid>`` first, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    if len(argv) != 5:
        print("usage: python -m autograder.instructor.grade_one GRADER SUBMISSION HOMEWORK REFERENCE OUT",
              file=sys.stderr)
        return 2
    grader, submission, homework, reference, out = argv
    results = load_grader(grader)(Path(submission), Path(homework), Path(reference))
    if not isinstance(results, dict) or "tests" not in results:
        print(f"the grader returned {type(results).__name__} without 'tests', not a results.json dict",
              file=sys.stderr)
        return 3
    write_json_atomic(Path(out), results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
