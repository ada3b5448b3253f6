"""Collect a submission into a staged package ``nnkit/`` the worker can import.

Accepted (DESIGN.md, Submissions): an ``nnkit/`` folder, flat ``<module>.py``
files, a zip of either, or a notebook (``.ipynb``) with the functions in its
cells. Only the API's module names are taken (a stray ``numpy.py`` never
lands on the worker's path), ``__init__.py`` is always our own empty one (a
broken module then costs only its own questions), and from a notebook only
imports, function and class definitions and simple constant assignments are
kept (parsed with ``ast``; nothing runs here), so training cells never run.

The trusted side only reads files here; nothing of the submission is
imported or executed.
"""

from __future__ import annotations

import ast
import json
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from autograder.api_spec import API

MAX_FILE = 2 << 20        # bytes of one source file or notebook we read
MAX_ZIP_TOTAL = 50 << 20  # bytes a zip may expand to
MAX_DEPTH = 6             # folder depth searched
SKIP_DIRS = {"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints", "node_modules", ".venv", "venv"}


def _walk(root: Path, depth: int = 0):
    """Files under ``root`` (no symlinks followed, skipping junk folders), shallow first."""
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    dirs = []
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir():
            if entry.name not in SKIP_DIRS and not entry.name.startswith(".") and depth < MAX_DEPTH:
                dirs.append(entry)
        elif entry.is_file():
            yield entry
    for d in dirs:
        yield from _walk(d, depth + 1)


def _extract_zip(path: Path, dest: Path, notes: list[str]) -> None:
    """Extract safely: no absolute paths or '..', no links, a size cap."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                name = PurePosixPath(info.filename)
                if info.is_dir() or name.is_absolute() or ".." in name.parts:
                    continue
                if (info.external_attr >> 16) & 0o170000 == 0o120000:  # a symlink
                    continue
                total += info.file_size
                if total > MAX_ZIP_TOTAL:
                    notes.append(f"{path.name}: larger than {MAX_ZIP_TOTAL >> 20} MB unpacked; the rest was ignored")
                    return
                target = dest.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        notes.append(f"{path.name} could not be unzipped ({exc}); it was ignored")


def _rank(path: Path, root: Path) -> tuple:
    """Prefer files in a folder called nnkit, then the shallowest."""
    rel = path.relative_to(root)
    return (0 if rel.parent.name == "nnkit" else 1, len(rel.parts), str(rel))


def notebook_code(text: str, label: str, notes: list[str]) -> str:
    """The kept part of a notebook's code cells: imports, defs, classes, constant assignments.

    Raises ValueError when the notebook is not valid JSON/nbformat.
    """
    try:
        nb = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{label} is not a valid notebook (not JSON: {exc})") from None
    if not isinstance(nb, dict):
        raise ValueError(f"{label} is not a valid notebook")
    cells = nb.get("cells")
    if cells is None and isinstance(nb.get("worksheets"), list):  # nbformat 3
        cells = [c for ws in nb["worksheets"] if isinstance(ws, dict) for c in ws.get("cells", [])]
    if not isinstance(cells, list):
        raise ValueError(f"{label} is not a valid notebook (no cells)")
    kept: list[str] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        source = "".join(source) if isinstance(source, list) else str(source)
        # IPython magics and shell escapes are not Python
        lines = ["pass  # " + ln if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError as exc:
            notes.append(f"{label}, cell {number}: SyntaxError at line {exc.lineno}: {exc.msg} — cell skipped")
            continue
        for node in tree.body:
            code = _keep(node)
            if code:
                kept.append(f"# {label}, cell {number}\n{code}")
    return "\n\n".join(kept) + "\n"


def _keep(node: ast.stmt) -> str | None:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "nnkit":
            return None  # the notebook defines these itself
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "nnkit" for a in node.names):
            return None
        # a missing optional package (matplotlib on Gradescope) must not cost the module
        return "try:\n    " + ast.unparse(node) + "\nexcept ImportError:\n    pass"
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return ast.unparse(node)
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if all(isinstance(t, ast.Name) for t in targets):
            try:
                ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                return None
            return ast.unparse(node)
    return None


def _defined_names(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def collect_submission(submission: Path, dest: Path) -> tuple[Path, list[str]]:
    """Stage ``submission`` as ``dest/nnkit/<module>.py``; return ``(dest, notes)``.

    ``notes`` are messages for the student (what was taken from where, what
    was ignored and why). Modules not found are simply absent: their
    questions fail with "could not be imported".
    """
    submission = Path(submission)
    dest = Path(dest)
    package = dest / "nnkit"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""A submission, staged by the grader."""\n')
    # the student release's helper package, which a student's module may import
    helper = dest / "nnkit_check"
    helper.mkdir(exist_ok=True)
    (helper / "__init__.py").write_text('"""Public helpers of the student release."""\n')
    shutil.copyfile(Path(__file__).resolve().parents[1] / "gradcheck.py", helper / "gradcheck.py")
    notes: list[str] = []
    unpacked = dest.parent / (dest.name + "-unpacked")
    unpacked.mkdir(exist_ok=True)
    if submission.is_file():
        if submission.suffix == ".zip":
            _extract_zip(submission, unpacked, notes)
        else:
            shutil.copy2(submission, unpacked / submission.name)
        root = unpacked
    elif submission.is_dir():
        for z in [p for p in _walk(submission) if p.suffix == ".zip"]:
            _extract_zip(z, unpacked / z.stem, notes)
        root = submission
    else:
        notes.append(f"the submission {submission} does not exist")
        return dest, notes
    files = list(_walk(root)) + list(_walk(unpacked))
    found: dict[str, Path] = {}
    for path in sorted(files, key=lambda p: _rank(p, root if root in p.parents else unpacked)):
        if path.suffix == ".py" and path.stem in API and path.stem not in found:
            found[path.stem] = path
    for module, path in sorted(found.items()):
        if path.stat().st_size > MAX_FILE:
            notes.append(f"{path.name} is larger than {MAX_FILE >> 20} MB and was ignored")
            continue
        shutil.copyfile(path, package / f"{module}.py")
    notebooks = [p for p in files if p.suffix == ".ipynb"]
    from_notebooks: list[str] = []
    for nb in notebooks:
        if nb.stat().st_size > MAX_FILE * 10:
            notes.append(f"{nb.name} is too large and was ignored")
            continue
        try:
            code = notebook_code(nb.read_text(encoding="utf-8", errors="replace"), nb.name, notes)
        except (ValueError, MemoryError, RecursionError) as exc:  # hostile nesting defeats ast.parse (red team)
            notes.append(f"{exc}; nothing was taken from it")
            continue
        defined = _defined_names(code)
        if not defined:
            continue
        (package / "_notebook.py").write_text(code, encoding="utf-8")
        for module, functions in API.items():
            if module not in found and defined & set(functions):
                (package / f"{module}.py").write_text(
                    f'"""{module} functions taken from the notebook {nb.name}."""\nfrom nnkit._notebook import *  # noqa\n'
                )
                from_notebooks.append(module)
        break  # one notebook: the first one with definitions
    if found:
        notes.append("modules taken from .py files: " + ", ".join(sorted(found)))
    if from_notebooks:
        notes.append("modules taken from the notebook (definitions and imports only): " + ", ".join(from_notebooks))
    if not found and not from_notebooks:
        notes.append("no nnkit module (gates.py, layers.py, ... or a notebook defining their functions) "
                     "was found in the submission: nothing could be graded")
    shutil.rmtree(unpacked, ignore_errors=True)
    return dest, notes
