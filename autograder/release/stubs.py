"""Step 2 of stub generation: solution regions -> ``# YOUR CODE HERE`` + ``raise NotImplementedError``.

Everything outside the markers (imports, signatures, docstrings, module
constants, helpers the instructor chose to give away) is kept verbatim, so a
stub differs from the reference only inside function bodies.
"""

from __future__ import annotations

import ast
import re

from autograder.release.errors import Problem, ReleaseError
from autograder.release.markers import Region, find_regions

STUB_LINES = ("# YOUR CODE HERE", "raise NotImplementedError")

# A hint an instructor chose: a docstring paragraph that starts with "Hint:". The stubs
# keep it, unless the homework's manifest sets ``drop_hints = true``.
_HINT_START = re.compile(r"^\s*Hint:")

# IPython-only lines (magics, shell escapes) that ast cannot read.
_IPYTHON_LINE = re.compile(r"^(\s*)[%!]")


def parse_source(text: str, path: str, ipython: bool = False) -> ast.Module:
    """``ast.parse(text)``, or a ReleaseError at the line of the syntax error.

    Inputs:
    - text: Python source.
    - path: for messages.
    - ipython: if True (notebook cells), magic and ``!`` lines count as ``pass``.
    """
    if ipython:
        if text.lstrip().startswith("%%"):
            return ast.parse("")  # a cell magic: not Python, nothing to check
        text = "\n".join(_IPYTHON_LINE.sub(r"\1pass  # ", ln) for ln in text.split("\n"))
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as exc:
        raise ReleaseError(Problem(path, exc.lineno or 0, f"does not parse: {exc.msg}")) from None


def hint_paragraphs(text: str) -> list[tuple[int, int]]:
    """``(first, last)`` 1-based line numbers of every hint paragraph of ``text``: from a line
    starting with ``Hint:`` to the line before the next blank line or closing quotes."""
    lines = text.split("\n")
    found, n = [], 0
    while n < len(lines):
        if _HINT_START.match(lines[n]):
            end = n
            while end + 1 < len(lines) and lines[end + 1].strip() and not lines[end + 1].strip().startswith(('"""', "'''")):
                end += 1
            found.append((n + 1, end + 1))
            n = end
        n += 1
    return found


def drop_hints(text: str) -> str:
    """``text`` without its hint paragraphs (and the blank line that separated each)."""
    lines = text.split("\n")
    drop = set()
    for first, last in hint_paragraphs(text):
        drop.update(range(first - 1, last))
        before, after = first - 2, last
        if after < len(lines) and not lines[after].strip():
            drop.add(after)  # the blank line after the hint
        elif before >= 0 and not lines[before].strip():
            drop.add(before)  # a hint just before the closing quotes: the blank line before it
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop)


def replace_regions(text: str, regions: list[Region]) -> tuple[str, list[tuple[int, int]]]:
    """Replace every SOLUTION region by the stub lines and drop every HIDDEN TESTS region.

    Inputs:
    - text: the source.
    - regions: from ``markers.find_regions(text, ...)``.

    Returns:
    - stub: the new source (same line endings: ``\\n``).
    - raises_at: list of (stub line of the inserted ``raise``, original BEGIN line).
    """
    lines = text.split("\n")
    out: list[str] = []
    raises_at: list[tuple[int, int]] = []
    previous_end = 0
    for region in regions:
        out.extend(lines[previous_end : region.begin - 1])
        if region.kind == "SOLUTION":
            out.append(region.indent + STUB_LINES[0])
            out.append(region.indent + STUB_LINES[1])
            raises_at.append((len(out), region.begin))
        previous_end = region.end
    out.extend(lines[previous_end:])
    return "\n".join(out), raises_at


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def check_regions_in_functions(stub_tree: ast.Module, raises_at: list[tuple[int, int]], path: str) -> None:
    """Each inserted ``raise`` must sit inside a function body (a marker outside one is an error).

    Inputs:
    - stub_tree: the parsed stub.
    - raises_at: from ``replace_regions``.
    - path: for messages (lines are the original's BEGIN lines).
    """
    parents = _parents(stub_tree)
    raise_nodes = {n.lineno: n for n in ast.walk(stub_tree) if isinstance(n, ast.Raise)}
    problems = []
    for stub_line, begin in raises_at:
        node = raise_nodes.get(stub_line)
        while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node = parents.get(node)
        if node is None:
            problems.append(Problem(path, begin, "BEGIN SOLUTION outside a function body: markers "
                                    "must wrap statements inside a def (after its docstring), "
                                    "so that the stub keeps the signature"))
    if problems:
        raise ReleaseError(problems)


def check_code_indented(text: str, regions: list[Region], path: str) -> None:
    """Code between two markers must be indented at least as deep as the markers."""
    lines = text.split("\n")
    problems = []
    for region in regions:
        for lineno in range(region.begin + 1, region.end):
            line = lines[lineno - 1]
            if line.strip() and not line.startswith(region.indent):
                problems.append(Problem(path, lineno, f"line is indented less than the BEGIN "
                                        f"{region.kind} marker of line {region.begin}; indent the "
                                        "markers like the code they wrap"))
                break
    if problems:
        raise ReleaseError(problems)


def _docstrings(tree: ast.Module) -> dict[str, str]:
    """Qualified-ish name (``f`` or ``C.f``, by position) -> docstring, for every def/class."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                found[f"{node.name}@{node.col_offset}"] = doc
    return found


def check_docstrings_kept(original: ast.Module, stub: ast.Module, path: str) -> None:
    """A stub keeps every docstring of the reference (markers go *below* the docstring)."""
    kept = _docstrings(stub)
    lost = [key.split("@")[0] for key, doc in _docstrings(original).items() if kept.get(key) != doc]
    if lost:
        raise ReleaseError(Problem(path, 0, f"the docstring of {', '.join(sorted(lost))} is inside "
                                   "solution markers; put ### BEGIN SOLUTION below the docstring"))


def stub_source(text: str, path: str, *, ipython: bool = False, require_function: bool = True) -> str:
    """The student version of one source text: the whole module pipeline.

    Inputs:
    - text: a reference module (or a notebook cell's source).
    - path: for messages.
    - ipython: the text is a notebook cell (magics allowed).
    - require_function: solution regions must be inside function bodies (modules);
      notebook cells may also stub top-level statements, as nbgrader does.

    Returns:
    - stub: the source with solution regions replaced and hidden-test regions removed.

    Raises ReleaseError with ``file:line`` for bad markers or a stub that does not parse.
    """
    regions = find_regions(text, path)
    original = parse_source(text, path, ipython=ipython)
    if not regions:
        return text
    check_code_indented(text, regions, path)
    stub, raises_at = replace_regions(text, regions)
    try:
        stub_tree = parse_source(stub, path + " (generated stub)", ipython=ipython)
    except ReleaseError as exc:
        begins = ", ".join(str(r.begin) for r in regions)
        raise ReleaseError(Problem(path, regions[0].begin, "the stub does not parse once the "
                                   f"solution regions (lines {begins}) are replaced: "
                                   f"{exc.problems[0].message}; a region must hold whole "
                                   "statements of one block")) from None
    if require_function:
        check_regions_in_functions(stub_tree, raises_at, path)
    check_docstrings_kept(original, stub_tree, path)
    return stub


def check_functions_stubbed(stub: str, functions: list[str], original: str, path: str) -> None:
    """Every function of ``functions`` must be a stub (its body raises NotImplementedError):
    a graded function without markers would ship its whole solution, and the leak check
    cannot see it (lines outside markers are public by definition)."""
    tree = ast.parse(stub)
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    lines = {n.name: n.lineno for n in ast.parse(original).body
             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    problems = []
    for name in functions:
        node = defs.get(name)
        if node is None:
            continue  # a missing function is the manifest check's message
        raises = any(isinstance(n, ast.Raise) and n.exc is not None
                     and ast.unparse(n.exc) == STUB_LINES[1].split()[1] for n in ast.walk(node))
        if not raises:
            problems.append(Problem(path, lines.get(name, 0), f"{name} has no ### BEGIN/END SOLUTION "
                                    "markers: its stub would ship the whole solution"))
    if problems:
        raise ReleaseError(problems)


def stub_module(text: str, path: str, functions: list[str] | None = None) -> str:
    """``stub_source`` for a ``.py`` module of the reference solution; the functions named
    in ``functions`` (the module's API) must come out as stubs."""
    stub = stub_source(text, path, ipython=False, require_function=True)
    if functions:
        check_functions_stubbed(stub, functions, text, path)
    return stub
