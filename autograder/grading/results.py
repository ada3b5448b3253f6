"""Gradescope's results.json: build it, validate it, write it atomically.

Format (Gradescope's documentation, "Output format"): top-level ``score``,
``execution_time`` (a number of seconds), ``output``, ``output_format``,
``test_output_format``, ``test_name_format``, ``visibility``,
``stdout_visibility`` and ``tests``; each test has ``score``, ``max_score``,
``status`` ("passed"/"failed"), ``name``, ``name_format``, ``number``,
``output``, ``output_format``, ``visibility`` and ``tags``. Every format is
set, to ``"text"``: nothing a submission writes is ever rendered as HTML,
Markdown or ANSI.

The last line of defence against text injection is here (``inert``): every
string of results.json loses its control characters (ANSI's ESC, NUL, bidi
overrides, U+2028/2029, lone surrogates...: all but the newline), written as
escapes; and in each output the submission's own words (``protocol.quote``'s
``‹…›``, one line each, so they never start a line of their own) share a
budget of ``QUOTED_BUDGET`` characters.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.atomic import write_json_atomic
from autograder.worker.protocol import QUOTE_CLOSE, QUOTE_OPEN

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
MAX_OUTPUT = 8000  # characters of one test's output (Gradescope truncates huge outputs badly)
QUOTED_BUDGET = 400  # characters of the submission's own (quoted) words in one output
FORMAT = "text"      # every output_format / name_format: shown as plain text, never rendered


@dataclass
class TestOutcome:
    """One entry of ``tests[]``."""

    name: str
    number: str
    score: float
    max_score: float
    output: str = ""
    visibility: str = "visible"
    tags: list = field(default_factory=list)
    execution_time: float = 0.0

    @property
    def status(self) -> str:
        return "passed" if self.score >= self.max_score - 1e-9 else "failed"

    def as_json(self) -> dict:
        return {
            "score": round(float(self.score), 4),
            "max_score": float(self.max_score),
            "status": self.status,
            "name": inert(str(self.name)),
            "name_format": FORMAT,
            "number": inert(str(self.number)),
            "output": _clip(self.output),
            "output_format": FORMAT,
            "visibility": self.visibility if self.visibility in VISIBILITIES else "visible",
            "tags": [str(t) for t in self.tags],
        }


def _clip(text: str) -> str:
    """One output as shown: quoted words within their budget, inert, at most MAX_OUTPUT characters."""
    text = inert(limit_quoted(str(text)))
    return text if len(text) <= MAX_OUTPUT else text[: MAX_OUTPUT - 20] + "\n… (output cut)"


def inert(text: str) -> str:
    """``text`` with every non-printable character but the newline written as an escape (``\\x1b``, ``\\u202e``)."""
    if text.isprintable() or all(ch.isprintable() or ch == "\n" for ch in text):
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == "\n":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


_QUOTED = re.compile(f"{QUOTE_OPEN}[^{QUOTE_OPEN}{QUOTE_CLOSE}\n]*{QUOTE_CLOSE}")


def limit_quoted(text: str, budget: int = QUOTED_BUDGET) -> str:
    """``text`` with its quoted spans (``‹…›``) cut once together they exceed ``budget`` characters."""
    left = budget

    def cut(match):
        nonlocal left
        span = match.group(0)
        inner = span[1:-1]
        if len(inner) <= left:
            left -= len(inner)
            return span
        kept, left = inner[:left], 0
        return f"{QUOTE_OPEN}{kept}…{QUOTE_CLOSE}" if kept else f"{QUOTE_OPEN}…{QUOTE_CLOSE}"

    return _QUOTED.sub(cut, text)


def build_results(outcomes: list[TestOutcome], output: str, execution_time: float) -> dict:
    """The results.json dict; the top-level score is the sum of the tests' scores."""
    tests = [o.as_json() for o in outcomes]
    return {
        "score": round(sum(t["score"] for t in tests), 4),
        "execution_time": round(float(execution_time), 3),
        "output": _clip(output),
        "output_format": FORMAT,
        "test_output_format": FORMAT,
        "test_name_format": FORMAT,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def error_results(message: str, execution_time: float = 0.0) -> dict:
    """A valid results.json scoring 0 with ``message`` (nothing could be graded)."""
    return build_results([], message, execution_time)


def validate_results(data: dict) -> None:
    """Raise ValueError naming the first field that breaks Gradescope's format."""
    if not isinstance(data, dict):
        raise ValueError(f"results must be a JSON object, got {type(data).__name__}")
    for key, kind in (("score", (int, float)), ("execution_time", (int, float)), ("output", str),
                      ("output_format", str), ("test_output_format", str), ("test_name_format", str),
                      ("visibility", str), ("stdout_visibility", str), ("tests", list)):
        if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool):
            raise ValueError(f"results['{key}'] must be {kind}, got {data.get(key)!r:.80}")
    if not math.isfinite(data["score"]) or not math.isfinite(data["execution_time"]):
        raise ValueError("score and execution_time must be finite numbers")
    for i, test in enumerate(data["tests"]):
        for key, kind in (("score", (int, float)), ("max_score", (int, float)), ("status", str), ("name", str),
                          ("name_format", str), ("number", str), ("output", str), ("output_format", str),
                          ("visibility", str), ("tags", list)):
            if not isinstance(test.get(key), kind) or isinstance(test.get(key), bool):
                raise ValueError(f"results['tests'][{i}]['{key}'] must be {kind}, got {test.get(key)!r:.80}")
        if test["status"] not in ("passed", "failed"):
            raise ValueError(f"results['tests'][{i}]['status'] is {test['status']!r}")
        if not 0 <= test["score"] <= test["max_score"] + 1e-9:
            raise ValueError(f"results['tests'][{i}] score {test['score']} outside [0, {test['max_score']}]")


def _utf8_safe(value):
    """``value`` with every string made encodable as UTF-8.

    Student text (exception messages, names) can carry lone surrogates such
    as ``"\\ud800"``, which no UTF-8 file can hold: they become U+FFFD so
    that one hostile message cannot cost the whole results.json.
    """
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_utf8_safe(k): _utf8_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utf8_safe(v) for v in value]
    return value


def write_results(data: dict, path: Path) -> None:
    """Validate, then write ``path`` atomically (temp file in the same folder, fsync, rename)."""
    validate_results(data)
    write_json_atomic(Path(path), _utf8_safe(data), indent=2, allow_nan=False, ensure_ascii=False)
