"""Step 6: the release checks its own output for leaks, and fails loudly.

What counts as a leak in a student artifact (student.zip, student_template/):

- a *solution line*: a line from inside ``### BEGIN/END SOLUTION`` of a
  reference module or a source notebook that is not trivial and does not also
  occur outside the markers in the reference (those lines ship in the stubs
  anyway), nor in the framework's own code (``autograder/``,
  whose generic lines such as ``rng = np.random.default_rng(seed)`` ship in
  ``nnkit_check/``). Lines are compared after normalising whitespace, with and
  without a trailing comment.
  Trivial: shorter than ``MIN_SOLUTION_CHARS``, without any operator, call or
  subscript (``for key in params:``, ``else:``), or ``return`` of plain names
  (``return dx, dW, db``);
- a *hidden-test line*: a line of ``assignments/*/hidden_tests/*`` of at least
  ``MIN_HIDDEN_CHARS`` that is not an import and not in the reference outside
  the markers or in the public tests; or a whole hidden-test file;
- a whole reference module (with markers) byte for byte;
- a *solution expression* in a stub's words: an expression of a solution line
  (a right-hand side, one item of a ``return a, b``) of at least
  ``MIN_EXPRESSION_CHARS`` with an operator outside ``[...]``, found in a line
  of a stub (``nnkit/*.py``; the public tests may compute expected values with
  it) once both are normalised by ``expression_key`` (spaces, backticks, ``ᵀ``
  and ``.T`` ignored): ``dW = doutᵀ @ x`` in a docstring gives away
  ``dout.T @ x``. Docstrings state the contract, not the formula.

Notebooks are scanned cell by cell, so a leak is reported as
``artifact:file[cell i]:line``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.release.errors import Problem, ReleaseError, display_path
from autograder.release.markers import Region, find_regions
from autograder.release.notebooks import notebook_solution_sources
from autograder.release.stubs import hint_paragraphs

MIN_SOLUTION_CHARS = 8
MIN_EXPRESSION_CHARS = 5
_MATH_SIGNS = str.maketrans({"·": "*", "×": "*", "−": "-"})  # the docstrings' signs, as code writes them
_OPERATOR = re.compile(r"[-+*/@<>%]|\*\*")
MIN_HIDDEN_CHARS = 30
_RETURN_NAMES = re.compile(r"return [\w\s,()]*")
_NO_OPERATION = re.compile(r"[^-+*/@=<>%~&|^(\[]*")
_IMPORT = re.compile(r"(import|from)\s")


def normalise(line: str) -> str:
    """A line with its whitespace runs collapsed and ends stripped (comparison key)."""
    return " ".join(line.split())


def strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a ``#`` inside a string literal stays)."""
    for i, char in enumerate(line):
        if char == "#" and line[:i].count("'") % 2 == 0 and line[:i].count('"') % 2 == 0:
            return line[:i]
    return line


def keys(line: str) -> set[str]:
    """Comparison keys of a line: itself and its code without a trailing comment, normalised,
    so that a solution line still matches once its comment is dropped or changed."""
    found = {normalise(line), normalise(strip_comment(line))}
    found.discard("")
    return found


def expression_key(text: str) -> str:
    """``text`` without spaces, backticks and transposes (``ᵀ``, ``.T``): the form in which a
    formula in words and the code it describes compare equal."""
    text = re.sub(r"\.T\b", "", text.replace("ᵀ", ""))
    text = text.translate(_MATH_SIGNS).replace("²", "**2")
    return re.sub(r"[\s`]", "", text)


def line_expressions(line: str) -> list[str]:
    """The expressions of one solution line: right-hand sides of ``=``, items of ``return a, b``
    (split at top-level commas), as ``expression_key``s with an operator and long enough."""
    code = strip_comment(line).strip()
    code = re.sub(r"^return\s+", "", code)
    if re.match(r"^[\w\s,\[\]'\".]+(?<![=!<>])=(?!=)", code):
        code = code.split("=", 1)[1]
    parts, depth, current = [], 0, ""
    for char in code:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    keys = [expression_key(p) for p in parts]
    return [k for k in keys if len(k) >= MIN_EXPRESSION_CHARS and _OPERATOR.search(_top_level(k))]


def _top_level(text: str) -> str:
    """``text`` without what is inside ``[...]``: a shape such as ``sizes[l-1]`` is a contract."""
    out, depth = "", 0
    for char in text:
        depth += char == "["
        if depth == 0:
            out += char
        depth -= char == "]" and depth > 0
    return out


def code_lines(text: str, regions: list[Region]) -> list[str]:
    """Lines of ``text`` outside ``regions`` that are code: docstrings left out (the words a
    student reads, which must not hold a solution's formula), but for their hint paragraphs."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    words = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            words.update(range(body[0].lineno, body[0].end_lineno + 1))
    # a hint paragraph is the instructor's choice of words: what it says ships anyway
    words -= {n for first, last in hint_paragraphs(text) for n in range(first, last + 1)}
    inside = {n for r in regions for n in range(r.begin, r.end + 1)}
    return [ln for n, ln in enumerate(text.split("\n"), 1) if n not in words and n not in inside]


def is_trivial(norm: str, min_chars: int = MIN_SOLUTION_CHARS) -> bool:
    """Too generic to be a leak: short, no operation at all, or ``return`` of plain names."""
    return (len(norm) < min_chars or _NO_OPERATION.fullmatch(norm) is not None
            or _RETURN_NAMES.fullmatch(norm) is not None)


def split_regions(text: str, regions: list[Region]) -> tuple[list[str], list[str]]:
    """(lines inside regions (solution or hidden tests) without the markers, every other line)."""
    lines = text.split("\n")
    inside_numbers = {n for r in regions for n in range(r.begin + 1, r.end)}
    markers = {n for r in regions for n in (r.begin, r.end)}
    inside = [lines[n - 1] for n in sorted(inside_numbers)]
    outside = [ln for n, ln in enumerate(lines, 1) if n not in inside_numbers and n not in markers]
    return inside, outside


@dataclass
class LeakIndex:
    """The secrets of one repository: normalised line -> where it comes from."""

    solution_lines: dict[str, str] = field(default_factory=dict)
    solution_expressions: dict[str, str] = field(default_factory=dict)
    hidden_lines: dict[str, str] = field(default_factory=dict)
    whole_files: dict[bytes, str] = field(default_factory=dict)

    @classmethod
    def from_repository(cls, root: Path, reference: dict[str, str]) -> "LeakIndex":
        """Index the reference modules ``reference`` (module -> text), every source notebook
        and every hidden test under ``root``."""
        index = cls()
        public: set[str] = set()
        candidates: dict[str, str] = {}
        expressions: dict[str, str] = {}
        public_expressions: set[str] = set()
        for module, text in sorted(reference.items()):
            origin = f"solutions/nnkit/{module}.py"
            regions = find_regions(text, origin)
            inside, outside = split_regions(text, regions)
            public.update(k for ln in outside for k in keys(ln))
            for line in inside:
                for key in keys(line):
                    candidates.setdefault(key, origin)
                for expression in line_expressions(line):
                    expressions.setdefault(expression, origin)
            public_expressions.update(expression_key(strip_comment(ln)) for ln in code_lines(text, regions))
            if regions:
                index.whole_files[text.encode("utf-8")] = origin
        for path in sorted((root / "assignments").glob("*/*.ipynb")):
            shown = display_path(path, root)
            text = path.read_text(encoding="utf-8")
            for where, source, regions in notebook_solution_sources(text, shown):
                inside, _ = split_regions(source, regions)
                for line in inside:
                    for key in keys(line):
                        candidates.setdefault(key, where)
        for path in sorted((root / "autograder").rglob("*.py")):
            if "release" not in path.relative_to(root / "autograder").parts:
                public.update(k for ln in path.read_text(encoding="utf-8").split("\n") for k in keys(ln))
        index.solution_lines = {n: o for n, o in candidates.items() if n not in public and not is_trivial(n)}
        # an expression the reference also writes outside its solutions (a signature, a
        # docstring's convention) ships anyway
        outside_text = "\n".join(public_expressions)
        index.solution_expressions = {e: o for e, o in expressions.items() if e not in outside_text}

        public_tests: set[str] = set()
        for path in sorted((root / "assignments").glob("*/public_tests/**/*.py")):
            public_tests.update(k for ln in path.read_text(encoding="utf-8").split("\n") for k in keys(ln))
        for path in sorted((root / "assignments").glob("*/hidden_tests/**/*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            origin = display_path(path, root)
            data = path.read_bytes()
            if data.strip():
                index.whole_files[data] = origin
            for line in data.decode("utf-8", errors="replace").split("\n"):
                for key in keys(line):
                    if (len(key) >= MIN_HIDDEN_CHARS and not _IMPORT.match(key)
                            and key not in public and key not in public_tests):
                        index.hidden_lines.setdefault(key, origin)
        return index

    def scan_text(self, text: str, where: str, formulas: bool = False) -> list[Problem]:
        """Problems for every secret line of ``text`` (reported at ``where:line``); with
        ``formulas`` (a stub), also for every solution expression in its words."""
        problems = []
        for lineno, line in enumerate(text.split("\n"), 1):
            line_keys = sorted(keys(line))
            solution = [k for k in line_keys if k in self.solution_lines]
            hidden = [k for k in line_keys if k in self.hidden_lines]
            key = expression_key(line)
            formula = [e for e in self.solution_expressions if e in key] if key and formulas else []
            if solution:
                problems.append(Problem(where, lineno, f"LEAK: a solution line of "
                                        f"{self.solution_lines[solution[0]]}: {solution[0]!r}"))
            elif formula:
                problems.append(Problem(where, lineno, f"LEAK: the text gives away the solution expression "
                                        f"{formula[0]!r} of {self.solution_expressions[formula[0]]} "
                                        "(state the contract, not the formula)"))
            elif hidden:
                problems.append(Problem(where, lineno, f"LEAK: a line of the hidden test "
                                        f"{self.hidden_lines[hidden[0]]}: {hidden[0]!r}"))
        return problems

    def scan_file(self, name: str, data: bytes, artifact: str) -> list[Problem]:
        """Problems of one file of an artifact (notebooks cell by cell, binaries whole)."""
        where = f"{artifact}:{name}"
        if data in self.whole_files:
            return [Problem(where, 0, f"LEAK: this file is {self.whole_files[data]}")]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return []  # binary (digits.npz): only whole-file leaks apply
        if name.endswith(".ipynb"):
            try:
                cells = json.loads(text).get("cells", [])
            except (ValueError, AttributeError):
                return [Problem(where, 0, "not valid notebook JSON")]
            problems = []
            for i, cell in enumerate(cells):
                source = cell.get("source", "")
                source = "".join(source) if isinstance(source, list) else source
                problems += self.scan_text(source, f"{where}[cell {i}]")
            return problems
        # a stub (nnkit/<module>.py, or a template file): its words must not give a formula
        # away; the public tests may compute expected values with one
        stub = name.endswith(".py") and PurePosixPath(name).parent.name in ("nnkit", "")
        return self.scan_text(text, where, formulas=stub)

    def scan(self, artifact: str, files: dict[str, bytes]) -> list[Problem]:
        """Problems of every file of one artifact (``name -> bytes``)."""
        problems = []
        for name in sorted(files):
            problems += self.scan_file(name, files[name], artifact)
        return problems


def check_leaks(index: LeakIndex, artifacts: dict[str, dict[str, bytes]]) -> None:
    """Raise ReleaseError listing every leak of every artifact (artifact -> files)."""
    problems = []
    for artifact in sorted(artifacts):
        problems += index.scan(artifact, artifacts[artifact])
    if problems:
        raise ReleaseError(problems)
