"""Step 3: the student notebook — solution cells stubbed, outputs cleared, stable JSON.

Code cells go through the same ``stubs.stub_source`` as modules (top-level
regions allowed, as in nbgrader: "compute the loss curve here"); markdown
cells may hide an answer between the same markers (replaced by
``YOUR ANSWER HERE``). ``### BEGIN HIDDEN TESTS`` regions are dropped, and a
cell left empty by that is dropped too. The JSON is nbformat's (sorted keys,
indent 1) with outputs, execution counts and volatile metadata removed, and
missing cell ids filled from the cell's position, so that two builds give the
same bytes.
"""

from __future__ import annotations

import nbformat

from autograder.release.errors import Problem, ReleaseError
from autograder.release.markers import MARKER_RE, Marker, Region, find_regions, pair_markers
from autograder.release.stubs import stub_source

MARKDOWN_STUB = "YOUR ANSWER HERE"
# Metadata that says something about the notebook, not about the last run.
KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info")
KEEP_CELL_METADATA = ("tags", "editable", "deletable")


def read_notebook(text: str, path: str) -> nbformat.NotebookNode:
    """Parse notebook JSON (nbformat 4), or a ReleaseError naming ``path``."""
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for bad JSON
        raise ReleaseError(Problem(path, 0, f"not a valid notebook: {exc}")) from None


def markdown_regions(text: str, path: str) -> list[Region]:
    """Marker regions of a markdown cell (markers are whole lines there, not comments)."""
    markers = []
    for lineno, line in enumerate(text.split("\n"), 1):
        match = MARKER_RE.match(line.strip())
        if match:
            indent = line[: len(line) - len(line.lstrip())]
            markers.append(Marker(match.group(1), match.group(2), lineno, indent))
    return pair_markers(markers, path)


def stub_markdown(text: str, path: str) -> str:
    """Replace each region of a markdown cell by ``YOUR ANSWER HERE``."""
    lines = text.split("\n")
    out: list[str] = []
    previous_end = 0
    for region in markdown_regions(text, path):
        out.extend(lines[previous_end : region.begin - 1])
        if region.kind == "SOLUTION":
            out.append(MARKDOWN_STUB)
        previous_end = region.end
    out.extend(lines[previous_end:])
    return "\n".join(out)


def cell_regions(cell: nbformat.NotebookNode, path: str) -> list[Region]:
    """The marker regions of one cell (code or markdown); other cells have none."""
    if cell.cell_type == "code":
        return find_regions(cell.source, path)
    if cell.cell_type == "markdown":
        return markdown_regions(cell.source, path)
    return []


def clean_cell(cell: nbformat.NotebookNode, index: int) -> None:
    """Outputs, execution count and run metadata removed; an id from the position if none."""
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    cell.metadata = {k: cell.metadata[k] for k in KEEP_CELL_METADATA if k in cell.metadata}
    if not cell.get("id"):
        cell.id = f"cell-{index}"


def student_notebook(text: str, path: str) -> str:
    """The student version of a source notebook, as deterministic JSON text.

    Inputs:
    - text: the source notebook (JSON) with solution markers.
    - path: for messages; a cell's problems are reported as ``path[cell i]:line``.

    Returns:
    - JSON text of the stripped notebook, ending in a newline.
    """
    nb = read_notebook(text, path)
    cells = []
    problems: list[Problem] = []
    for index, cell in enumerate(nb.cells):
        where = f"{path}[cell {index}]"
        try:
            regions = cell_regions(cell, where)
            if cell.cell_type == "code":
                new_source = stub_source(cell.source, where, ipython=True, require_function=False)
            elif cell.cell_type == "markdown":
                new_source = stub_markdown(cell.source, where)
            else:
                new_source = cell.source
        except ReleaseError as exc:
            problems.extend(exc.problems)
            continue
        if any(r.kind == "HIDDEN TESTS" for r in regions) and not new_source.strip():
            continue  # a hidden-test cell: students never see it
        cell.source = new_source
        cells.append(cell)
    if problems:
        raise ReleaseError(problems)
    nb.cells = cells
    nb.metadata = {k: nb.metadata[k] for k in KEEP_NOTEBOOK_METADATA if k in nb.metadata}
    nb.nbformat_minor = max(nb.get("nbformat_minor", 0), 5)  # 4.5: cells have ids
    for index, cell in enumerate(nb.cells):
        clean_cell(cell, index)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise ReleaseError(Problem(path, 0, f"the student notebook is not valid nbformat: {exc.message}")) from None
    return nbformat.writes(nb, version=4) + "\n"


def notebook_solution_sources(text: str, path: str) -> list[tuple[str, str, list[Region]]]:
    """(where, cell source, regions) for every cell that has markers (for the leak check)."""
    nb = read_notebook(text, path)
    found = []
    for index, cell in enumerate(nb.cells):
        where = f"{path}[cell {index}]"
        regions = cell_regions(cell, where)
        if regions:
            found.append((where, cell.source, regions))
    return found

