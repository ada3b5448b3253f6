"""Build the homework notebooks from their readable source.

Each homework's notebook is written as a list of cells (``CELLS``), built with
``md`` and ``code`` from ``notebook_cells.py``, in ``assignments/<hw>/notebook.py``
(or, for the first homeworks, ``<hw>.py`` next to this file); cells shared by
several notebooks (set-up, gradient check, data) live in ``notebook_cells.py``.
Every homework of ``assignments/`` (a folder with a manifest.toml) that has such a
source is built. This script turns them into ``assignments/<hw>/<hw>.ipynb``:

    python assignments/notebooks_src/make_notebooks.py          # write them all
    python assignments/notebooks_src/make_notebooks.py --check  # exit 1 if one is stale

The output is deterministic (fixed cell ids, no outputs, no execution counts,
fixed metadata), so that the release built from it is reproducible. Exercise
cells keep nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers;
the release pipeline strips them.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import nbformat

SRC = Path(__file__).resolve().parent
ASSIGNMENTS = SRC.parent
HOMEWORK_SOURCE = "notebook.py"  # a homework's own notebook source, in its folder


def source_path(hw: str) -> Path:
    """The notebook source of homework ``hw``: ``assignments/<hw>/notebook.py``, else
    ``notebooks_src/<hw>.py`` (which may not exist)."""
    own = ASSIGNMENTS / hw / HOMEWORK_SOURCE
    return own if own.is_file() else SRC / f"{hw}.py"


def homeworks() -> tuple[str, ...]:
    """Every homework of ``assignments/`` (a folder with a manifest.toml) that has a notebook source."""
    return tuple(sorted(p.parent.name for p in ASSIGNMENTS.glob("*/manifest.toml")
                        if source_path(p.parent.name).is_file()))


HOMEWORKS = homeworks()

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _load(name: str):
    """Import the notebook source of homework ``name`` by path (its folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"nnkit_notebook_{name}", source_path(name))
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SRC))  # so that <hw>.py can `from notebook_cells import ...`
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SRC))
    return module


def build(hw: str) -> nbformat.NotebookNode:
    """The notebook of homework ``hw`` as an nbformat v4.5 node (validated).

    Cell ids are ``<hw>-<index>``: stable from one build to the next.
    """
    if not source_path(hw).is_file():
        raise ValueError(f"unknown homework {hw!r}: no notebook source assignments/{hw}/{HOMEWORK_SOURCE} "
                         f"(homeworks with one: {', '.join(homeworks())})")
    cells = []
    for index, (kind, source) in enumerate(_load(hw).CELLS):
        cell_id = f"{hw}-{index:02d}"
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        elif kind == "code":
            cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
        else:
            raise ValueError(f"{source_path(hw)}: cell {index}: kind must be 'markdown' or 'code', got {kind!r}")
    nb = nbformat.v4.new_notebook(cells=cells, metadata=METADATA)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def render(hw: str) -> str:
    """The exact text of ``assignments/<hw>/<hw>.ipynb``."""
    return nbformat.writes(build(hw)) + "\n"


def target(hw: str) -> Path:
    return ASSIGNMENTS / hw / f"{hw}.ipynb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if a notebook is stale")
    parser.add_argument("homeworks", nargs="*", default=list(homeworks()), help="default: all")
    args = parser.parse_args(argv)
    stale = []
    for hw in args.homeworks:
        text, path = render(hw), target(hw)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print("stale (run assignments/notebooks_src/make_notebooks.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
