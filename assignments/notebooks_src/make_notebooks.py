"""Build the homework notebooks from their readable source.

Each homework's notebook is written in ``<hw>.py`` next to this file as a list
of cells (``CELLS``), built with ``md`` and ``code`` from ``notebook_cells.py``;
cells shared by several notebooks (set-up, gradient check, data) live there too. This script turns them into ``assignments/<hw>/<hw>.ipynb``:

    python assignments/notebooks_src/make_notebooks.py          # write all three
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
HOMEWORKS = ("hw1_backprop", "hw2_training", "hw3_cnn")

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _load(name: str):
    """Import ``notebooks_src/<name>.py`` by path (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"nnkit_notebook_{name}", SRC / f"{name}.py")
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
    if hw not in HOMEWORKS:
        raise ValueError(f"unknown homework {hw!r}; expected one of {', '.join(HOMEWORKS)}")
    cells = []
    for index, (kind, source) in enumerate(_load(hw).CELLS):
        cell_id = f"{hw}-{index:02d}"
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        elif kind == "code":
            cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
        else:
            raise ValueError(f"{hw}.py cell {index}: kind must be 'markdown' or 'code', got {kind!r}")
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
    parser.add_argument("homeworks", nargs="*", default=list(HOMEWORKS), help="default: all")
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
