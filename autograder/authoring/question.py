"""``@question``: one decorator per graded test, and how the runner finds them.

    @question("1.1.1", points=5)
    def test_add_mul(q):
        \"\"\"add and multiply gates: forward and gradients (dout ≠ 1)\"\"\"
        ...

The decorated function stays a plain function (it takes the question
context ``q``, ``autograder.authoring.context.Question``); the decorator
only attaches a ``QuestionSpec`` as ``__question__``. Mistakes in the
declaration (a malformed number, points ≤ 0, no docstring) raise
``QuestionDeclarationError`` naming ``file:line`` when the hidden test is
imported.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from autograder.grading.results import VISIBILITIES

NUMBER_RE = re.compile(r"^\d+(\.\d+)+$")


class QuestionDeclarationError(ValueError):
    """A ``@question`` declaration is malformed; the message starts with ``file:line``."""


@dataclass(frozen=True)
class QuestionSpec:
    """What ``@question`` declares about one graded test.

    - number: "1.1.1" (question "1.1", test 1)
    - points: the test's maximum score; its parts must add up to it
    - title: the docstring's first line (shown to the student next to the number)
    - time_limit: seconds for all its calls into the submission, or None (the engine's default)
    - visibility: when Gradescope shows it to the student (``results.VISIBILITIES``)
    - func: the test function, ``func(q) -> None``
    - file, line: where it is defined (for grader errors)
    """

    number: str
    points: float
    title: str
    time_limit: float | None
    func: Callable
    file: str
    line: int
    visibility: str = "visible"

    @property
    def where(self) -> str:
        """``test_q1_1_gates.py:17``: the file and line of the test's definition."""
        return f"{Path(self.file).name}:{self.line}"


def question(number: str, *, points: float, time_limit: float | None = None, visibility: str = "visible"):
    """Decorator declaring a graded test: its number, its points, optionally its time limit
    and when students see it.

    Inputs: ``number`` like "1.1.1"; ``points`` > 0; ``time_limit`` seconds > 0 or None;
    ``visibility`` one of Gradescope's "visible", "hidden", "after_due_date", "after_published".
    Output: the function itself, with ``__question__`` (a ``QuestionSpec``) set.
    """

    def decorate(func):
        file = inspect.getsourcefile(func) or func.__code__.co_filename
        line = func.__code__.co_firstlineno
        where = f"{Path(file).name}:{line}"
        if not isinstance(number, str) or not NUMBER_RE.match(number):
            raise QuestionDeclarationError(f"{where}: @question number {number!r} must look like '1.2.3'")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
            raise QuestionDeclarationError(f"{where}: @question points must be a number > 0, got {points!r}")
        if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
                                       or not time_limit > 0):
            raise QuestionDeclarationError(f"{where}: @question time_limit must be seconds > 0, got {time_limit!r}")
        if visibility not in VISIBILITIES:
            raise QuestionDeclarationError(f"{where}: @question visibility {visibility!r} must be one of "
                                           f"{', '.join(VISIBILITIES)}")
        doc = inspect.getdoc(func)
        if not doc or not doc.strip():
            raise QuestionDeclarationError(f"{where}: {func.__name__} needs a docstring: its first line is "
                                           "the title students see")
        limit = None if time_limit is None else float(time_limit)
        func.__question__ = QuestionSpec(number, float(points), doc.strip().splitlines()[0], limit, func, file, line,
                                         visibility)
        return func

    return decorate


def questions_in(module) -> list[QuestionSpec]:
    """The ``@question`` tests defined in ``module`` (not imported into it), in source order."""
    found = [obj.__question__ for obj in vars(module).values()
             if callable(obj) and isinstance(getattr(obj, "__question__", None), QuestionSpec)
             and getattr(obj, "__module__", None) == module.__name__]
    return sorted(found, key=lambda spec: spec.line)


def derive_seed(seed: int, *labels) -> int:
    """A 64-bit seed from the submission's seed and labels (question number, purpose, counter).

    sha256 of the text, so neighbouring numbers give unrelated streams and the
    value is the same on every platform and Python version.
    """
    text = "\0".join(str(part) for part in (int(seed), *labels))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
