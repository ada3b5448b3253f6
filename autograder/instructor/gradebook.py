"""From results.json files to per-question scores and ``gradebook.csv``.

A question's score is the sum over the tests whose ``number`` is the
question's (``"1.3"``) or below it (``"1.3.2"``); the total is results.json's
``score``. A row whose grading failed keeps empty question cells and says why
in ``error`` (status "error"); a submission with nothing in it scores 0 on every
question, as Gradescope gives it, with status "empty" and the reason in ``error``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.instructor.executor import grader_problems
from autograder.atomic import write_text_atomic
from autograder.instructor.export import NOTHING_HANDED_IN

EPS = 1e-9  # scores are sums of floats: "lost points" means below the maximum by more than this

# the diagnosis in a failed test's output: the engine's "dx: relative error … — likely transposed",
# or a line "likely: …" / "likely mistake: …" / "Likely cause - …"
_LIKELY = re.compile(r"(?:[—–]\s*likely\s+|\blikely(?:\s+(?:mistake|bug|cause))?\s*[:\-–]\s*)(.+)",
                     re.IGNORECASE)


@dataclass
class Row:
    """One submission's line of the gradebook."""

    id: str
    name: str = ""
    email: str = ""
    scores: dict[str, float] = field(default_factory=dict)  # question number -> points
    total: float | None = None
    error: str | None = None
    diagnoses: dict[str, list[str]] = field(default_factory=dict)  # question -> likely mistakes
    empty: str | None = None  # why nothing was graded although the row scores 0 ("empty file")
    retry: str | None = None  # a grader problem touched these tests: provisional, a rerun grades it again

    @property
    def status(self) -> str:
        """"error" (not graded: see ``error``), "empty" (nothing handed in: 0), "retry" (a grader
        problem: provisional, regraded by a rerun) or "graded"."""
        return "error" if self.error else "empty" if self.empty else "retry" if self.retry else "graded"


def _belongs(test_number: str, question: str) -> bool:
    return test_number == question or test_number.startswith(question + ".")


def question_scores(results: dict, questions: list[dict]) -> dict[str, tuple[float, float]]:
    """question number -> (score, max_score) summed over its tests in ``results``."""
    out = {}
    for q in questions:
        tests = [t for t in results.get("tests", []) if _belongs(str(t.get("number", "")), q["number"])]
        out[q["number"]] = (sum(float(t.get("score") or 0.0) for t in tests),
                            sum(float(t.get("max_score") or 0.0) for t in tests))
    return out


def lost_points(results: dict, questions: list[dict]) -> dict[str, bool]:
    """question number -> whether the submission lost points on it.

    A question none of whose tests appears in ``results`` counts as lost: the
    grader did not award it.
    """
    lost = {}
    for number, (score, maximum) in question_scores(results, questions).items():
        q = next(q for q in questions if q["number"] == number)
        full = maximum if maximum > 0 else float(q.get("points", 0))
        lost[number] = maximum <= 0 or score < full - EPS
    return lost


def diagnoses(results: dict, questions: list[dict]) -> dict[str, list[str]]:
    """question number -> the likely mistakes the gradient-check diagnosis named in its failed tests."""
    found: dict[str, list[str]] = {}
    for test in results.get("tests", []):
        if float(test.get("score") or 0.0) >= float(test.get("max_score") or 0.0) - EPS:
            continue
        number = str(test.get("number", ""))
        question = next((q["number"] for q in questions if _belongs(number, q["number"])), None)
        if question is None:
            continue
        for line in str(test.get("output", "")).splitlines():
            mistake = _mistake(line)
            if mistake:
                found.setdefault(question, []).append(mistake)
    return found


# coarse labels for a failed check without a "likely" diagnosis (the engine marks failed checks with ✗)
_CATEGORIES = [
    (re.compile(r"(\w+\.py) could not be imported: (\w+)"), r"\1 does not import (\2)"),
    (re.compile(r"did not finish in time|time limit", re.I), "timeout (an infinite loop or far too slow)"),
    (re.compile(r"instead of raising (\w+)", re.I), r"does not raise \1 on bad input"),
    (re.compile(r"raised:?\s+(\w+(?:Error|Exception))"), r"raises \1"),
    (re.compile(r"(?:^|[✗:]\s*)(d\w+): relative error"), r"\1: wrong values"),
    (re.compile(r"(\w+)(?:\[\d+\])?: \d+ of \d+ entries wrong"), r"\1: wrong values"),
    (re.compile(r": shape \([^)]*\),? expected"), "wrong shape"),
    (re.compile(r"\bnot finite\b", re.I), "not finite (NaN/inf)"),
]


def _mistake(line: str) -> str | None:
    """The mistake one output line names: its "likely" diagnosis, else a coarse category of a failed check."""
    match = _LIKELY.search(line)
    if match:
        return match.group(1).strip().rstrip(".")[:80]
    if not line.lstrip().startswith("✗"):
        return None
    for pattern, label in _CATEGORIES:
        found = pattern.search(line)
        if found:
            return found.expand(label)[:80]
    return None


def make_row(sid: str, results: dict | None, error: str | None, questions: list[dict],
             name: str = "", email: str = "") -> Row:
    """The gradebook row of one submission from its results (or the error that replaced them)."""
    if results is None and error in NOTHING_HANDED_IN:
        return Row(sid, name, email, {q["number"]: 0.0 for q in questions}, 0.0, empty=error)
    if results is None:
        return Row(sid, name, email, error=error or "not graded")
    scores = {n: s for n, (s, _) in question_scores(results, questions).items()}
    total = float(results.get("score", sum(scores.values())))
    problems = grader_problems(results)
    retry = f"grader problem in test(s) {', '.join(problems)}: rerun regrade" if problems else None
    return Row(sid, name, email, scores, total, None, diagnoses(results, questions), retry=retry)


def _number(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def write_gradebook(path: Path, rows: list[Row], questions: list[dict]) -> None:
    """``gradebook.csv``: id, name, email, one column per question ("1.3 (20)"), total, status, error."""
    numbers = [q["number"] for q in questions]
    header = (["submission_id", "name", "email"] + [f"{q['number']} ({q['points']:g})" for q in questions]
              + ["total", "status", "error"])
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.id, row.name, row.email] + [_number(row.scores.get(n)) for n in numbers]
                        + [_number(row.total), row.status, row.error or row.empty or row.retry or ""])
    write_text_atomic(Path(path), text.getvalue())


def read_gradebook(path: Path) -> list[dict[str, str]]:
    """The rows of a gradebook.csv as dicts keyed by its header."""
    with Path(path).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
