"""Build the homework notebooks from their readable source.

Each homework's notebook is written as a list of cells (``CELLS``), built with
``md`` and ``code`` from ``notebook_cells.py`` (next to this file), in
``assignments/<hw>/notebook.py``; cells shared by several notebooks (set-up,
gradient check, data) live in ``notebook_cells.py``. Every homework of
``assignments/`` (a folder with a manifest.toml) that has such a source is
built, into the file its manifest names (``notebook = "<name>.ipynb"``, in
the same folder):

    python assignments/notebooks_src/make_notebooks.py          # write them all
    python assignments/notebooks_src/make_notebooks.py --check  # exit 1 if one is stale

The output is deterministic (cell ids ``<notebook name>-<index>``, no outputs,
no execution counts, fixed metadata), so that the release built from it is
reproducible, and a homework folder copied under a new name builds the same
notebook. Exercise cells keep nbgrader's ``### BEGIN SOLUTION`` / ``### END
SOLUTION`` markers; the release pipeline strips them.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tomllib  # the generator runs in the repository (Python 3.11), never in autograder.zip
from pathlib import Path

import nbformat

SRC = Path(__file__).resolve().parent
ASSIGNMENTS = SRC.parent
HOMEWORK_SOURCE = "notebook.py"  # a homework's own notebook source, in its folder


def source_path(hw: str) -> Path:
    """The notebook source of homework ``hw``: ``assignments/<hw>/notebook.py`` (which may not exist)."""
    return ASSIGNMENTS / hw / HOMEWORK_SOURCE


def homeworks() -> tuple[str, ...]:
    """Every homework of ``assignments/`` (a folder with a manifest.toml) that has a notebook source."""
    return tuple(sorted(p.parent.name for p in ASSIGNMENTS.glob("*/manifest.toml")
                        if source_path(p.parent.name).is_file()))


METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _load(name: str):
    """Import the notebook source of homework ``name`` by path (its folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"nnkit_notebook_{name}", source_path(name))
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SRC))  # so that notebook.py can `from notebook_cells import ...`
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SRC))
    return module


def build(hw: str) -> nbformat.NotebookNode:
    """The notebook of homework ``hw`` as an nbformat v4.5 node (validated).

    Cell ids are ``<notebook name>-<index>`` (the manifest's ``notebook`` without
    ``.ipynb``): stable from one build to the next, and the same in a copy of the
    homework folder under another name.
    """
    if not source_path(hw).is_file():
        raise ValueError(f"unknown homework {hw!r}: no notebook source assignments/{hw}/{HOMEWORK_SOURCE} "
                         f"(homeworks with one: {', '.join(homeworks())})")
    stem = target(hw).stem
    cells = []
    for index, (kind, source) in enumerate(_load(hw).CELLS):
        cell_id = f"{stem}-{index:02d}"
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
    """The exact text of homework ``hw``'s notebook (the file ``target(hw)``)."""
    return nbformat.writes(build(hw)) + "\n"


def target(hw: str) -> Path:
    """The notebook file of homework ``hw``: ``assignments/<hw>/<notebook>``, the name its
    manifest.toml gives (``notebook = "<name>.ipynb"``). Raises ValueError naming the
    manifest when the key is missing or not a plain ``.ipynb`` file name."""
    manifest = ASSIGNMENTS / hw / "manifest.toml"
    try:
        name = tomllib.loads(manifest.read_text(encoding="utf-8")).get("notebook")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{manifest}: {exc}") from None
    if not isinstance(name, str) or not name.endswith(".ipynb") or Path(name).name != name:
        raise ValueError(f"{manifest}: notebook must be a file name ending in .ipynb "
                         f"(the notebook beside it), got {name!r}")
    return ASSIGNMENTS / hw / name


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
