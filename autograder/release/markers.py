"""Step 1 of stub generation: find the solution regions of a source text.

nbgrader's syntax: a comment line ``### BEGIN SOLUTION`` opens a region and
``### END SOLUTION`` closes it (any number of ``#``; the same for
``BEGIN HIDDEN TESTS`` in notebooks). Markers are read from comment tokens,
so a docstring that *mentions* a marker is not one.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from autograder.release.errors import Problem, ReleaseError

# A comment that is a marker: "#", "##", "###"... then BEGIN/END and the kind.
MARKER_RE = re.compile(r"^#+\s*(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS)\s*$")
# Anything that looks like a marker, to reject misplaced or misspelt ones loudly.
LOOSE_RE = re.compile(r"#+\s*(BEGIN|END)\s+(SOL|HIDDEN)", re.IGNORECASE)


@dataclass(frozen=True)
class Region:
    """Lines ``begin``..``end`` (1-based, both markers included) of one kind.

    ``indent`` is the BEGIN marker's leading whitespace: the stub goes there.
    """

    kind: str  # "SOLUTION" or "HIDDEN TESTS"
    begin: int
    end: int
    indent: str


@dataclass(frozen=True)
class Marker:
    """One marker comment: ``action`` is BEGIN or END, at 1-based ``line``."""

    action: str
    kind: str
    line: int
    indent: str


def _comment_lines(text: str) -> dict[int, str] | None:
    """Line number -> comment text of every comment token; None if ``text`` does not tokenize."""
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return comments


def find_markers(text: str, path: str) -> list[Marker]:
    """Every marker of ``text`` in order; a marker that shares its line with code is an error.

    Inputs:
    - text: Python source (a module or one notebook cell).
    - path: where ``text`` comes from, for messages (``file`` or ``file[cell 3]``).

    Returns:
    - markers: list of Marker, by line.

    Raises ReleaseError if a marker is not alone on its line or is misspelt.
    """
    lines = text.splitlines()
    comments = _comment_lines(text)
    if comments is None:
        # Cells with IPython syntax may not tokenize: fall back to whole lines.
        comments = {i: ln.strip() for i, ln in enumerate(lines, 1) if ln.strip().startswith("#")}
    markers: list[Marker] = []
    problems: list[Problem] = []
    for lineno in sorted(comments):
        comment = comments[lineno].strip()
        if not LOOSE_RE.search(comment):
            continue
        line = lines[lineno - 1]
        match = MARKER_RE.match(comment)
        if match is None:
            problems.append(Problem(path, lineno, f"malformed marker {comment!r}: expected "
                                    "'### BEGIN SOLUTION' or '### END SOLUTION' alone on the line"))
        elif line.strip() != comment:
            problems.append(Problem(path, lineno, f"marker {comment!r} must be alone on its line, "
                                    f"found {line.strip()!r}"))
        else:
            indent = line[: len(line) - len(line.lstrip())]
            markers.append(Marker(match.group(1), match.group(2), lineno, indent))
    if problems:
        raise ReleaseError(problems)
    return markers


def pair_markers(markers: list[Marker], path: str) -> list[Region]:
    """Pair BEGIN and END markers into regions; unmatched or nested markers are errors.

    Inputs:
    - markers: output of ``find_markers``.
    - path: for messages.

    Returns:
    - regions: list of Region in order.
    """
    regions: list[Region] = []
    problems: list[Problem] = []
    open_marker: Marker | None = None
    for m in markers:
        if m.action == "BEGIN":
            if open_marker is not None:
                problems.append(Problem(path, m.line, f"nested marker: BEGIN {m.kind} inside the "
                                        f"BEGIN {open_marker.kind} of line {open_marker.line}; "
                                        f"close it with END {open_marker.kind} first"))
                continue
            open_marker = m
        else:
            if open_marker is None:
                problems.append(Problem(path, m.line, f"END {m.kind} without a BEGIN {m.kind} before it"))
                continue
            if m.kind != open_marker.kind:
                problems.append(Problem(path, m.line, f"END {m.kind} closes the BEGIN "
                                        f"{open_marker.kind} of line {open_marker.line}; "
                                        f"expected END {open_marker.kind}"))
            elif m.indent != open_marker.indent:
                problems.append(Problem(path, m.line, f"END {m.kind} is indented "
                                        f"{len(m.indent)} columns but its BEGIN (line "
                                        f"{open_marker.line}) {len(open_marker.indent)}; "
                                        "indent both markers like the code they wrap"))
            else:
                regions.append(Region(m.kind, open_marker.line, m.line, open_marker.indent))
            open_marker = None
    if open_marker is not None:
        problems.append(Problem(path, open_marker.line, f"BEGIN {open_marker.kind} without an "
                                f"END {open_marker.kind} after it"))
    if problems:
        raise ReleaseError(problems)
    return regions


def find_regions(text: str, path: str) -> list[Region]:
    """``pair_markers(find_markers(text, path), path)``: the validated regions of ``text``."""
    return pair_markers(find_markers(text, path), path)
