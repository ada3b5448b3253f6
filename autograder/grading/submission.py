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
from autograder.worker.protocol import quote, quote_name  # file names and messages are the student's text
from autograder.sandbox.cleanup import remove_tree

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
                    notes.append(f"{quote_name(path.name)}: larger than {MAX_ZIP_TOTAL >> 20} MB unpacked; the rest was ignored")
                    return
                target = dest.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        notes.append(f"{quote_name(path.name)} could not be unzipped ({quote(exc)}); it was ignored")


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
            notes.append(f"{label}, cell {number}: SyntaxError at line {exc.lineno}: {quote(exc.msg)} — cell skipped")
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


def _raises_not_implemented(node: ast.stmt) -> bool:
    """True for ``raise NotImplementedError`` or ``raise NotImplementedError(...)``."""
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def stub_functions(source: str) -> list[str]:
    """Names of the top-level functions of ``source`` that are still stubs: their body,
    after the docstring and comments, starts with ``raise NotImplementedError``. Empty
    when ``source`` does not parse (the grader reports that error itself)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []
    stubs = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            body = [b for b in node.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
            if body and _raises_not_implemented(body[0]):
                stubs.append(node.name)
    return stubs


def imported_modules(source: str) -> set[str]:
    """API modules that ``source`` imports: ``nnkit.layers``, ``from nnkit import layers``,
    ``from .layers import``, or flat ``from layers import`` (read with ast, never run)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.add(parts[1] if parts[0] == "nnkit" and len(parts) > 1 else parts[0])
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            if parts[0] == "nnkit" or (node.level and not node.module):
                names.update(parts[1:2] if len(parts) > 1 else [a.name for a in node.names])
            else:
                names.add(parts[0])
    return names & set(API)


def read_manifest_json(homework: Path | None) -> dict:
    """``homework/manifest.json`` as a dict (empty when there is none or it does not parse:
    the collector then works without knowing the homework)."""
    if homework is None or not (Path(homework) / "manifest.json").is_file():
        return {}
    try:
        data = json.loads((Path(homework) / "manifest.json").read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def missing_module_message(module: str, manifest: dict, importers: list[str]) -> str:
    """What to tell a student whose upload lacks ``nnkit/<module>.py``, one line.

    Inputs: the module, the homework's manifest dict, the uploaded modules importing it.
    """
    why = f": {', '.join(f'{m}.py' for m in importers)} import{'s' if len(importers) == 1 else ''} it" if importers else ""
    if module in manifest.get("carried", []):
        origin = manifest.get("carried_origin", {}).get(module, "an earlier homework")
        return (f"add nnkit/{module}.py, from {origin}{why or ': this homework uses it'} "
                "(it is not graded here, but the grader needs it)")
    questions = [q["number"] for q in manifest.get("questions", [])
                 if any(str(f).split(".")[0] == module for f in q.get("functions", []))]
    graded = f" (questions {', '.join(questions)})" if questions else ""
    return f"add nnkit/{module}.py{why}: it is graded here{graded}"


def _placeholder(message: str) -> str:
    """A staged module that fails to import with ``message``: the tests it breaks say why."""
    return f'"""Not in the submission: the grader staged this stand-in."""\nraise ImportError({message!r})\n'


def complete_from_manifest(package: Path, manifest: dict, reference: Path | None, notes: list[str]) -> None:
    """Stage what the upload lacks, so that every test it breaks says what to add.

    Inputs:
    - package: the staged ``nnkit/`` folder (modules found so far).
    - manifest: the homework's manifest dict (``modules``, ``carried``, ``carried_from_reference``).
    - reference: the folder holding the reference ``nnkit/`` (used only when the manifest
      sets ``carried_from_reference``).
    - notes: appended to (one line per missing module, then stubs left in carried modules).
    """
    present = {p.stem for p in package.glob("*.py")} - {"__init__", "_notebook"}
    sources = {m: (package / f"{m}.py").read_text(encoding="utf-8", errors="replace") for m in present}
    for module in list(manifest.get("modules", [])) + list(manifest.get("carried", [])):
        if module in present:
            continue
        importers = sorted(m for m, text in sources.items() if module in imported_modules(text))
        original = reference / "nnkit" / f"{module}.py" if reference is not None else None
        if (module in manifest.get("carried", []) and manifest.get("carried_from_reference")
                and original is not None and original.is_file()):
            shutil.copyfile(original, package / f"{module}.py")
            notes.append(f"nnkit/{module}.py was not in your upload: the course's solution of it was used")
            continue
        message = missing_module_message(module, manifest, importers)
        (package / f"{module}.py").write_text(_placeholder(message), encoding="utf-8")
        notes.append(f"missing: {message}")
    for module in manifest.get("carried", []):
        stubs = stub_functions(sources.get(module, ""))
        if stubs:
            origin = manifest.get("carried_origin", {}).get(module, "an earlier homework")
            notes.append(f"nnkit/{module}.py (from {origin}) is still a stub in {', '.join(stubs)}: "
                         "copy your own solution into it; this homework's functions call it")


def _gradcheck_source() -> Path:
    """The ``gradcheck.py`` beside this file (inside ``nnkit_check/``) or in the package above it."""
    here = Path(__file__).resolve()
    beside = here.with_name("gradcheck.py")
    return beside if beside.is_file() else here.parents[1] / "gradcheck.py"


def find_sources(submission: Path, unpacked: Path, notes: list[str]) -> tuple[dict[str, Path], list[Path]]:
    """``({module: path of its .py file}, notebooks)`` of a submission; zips unpacked into ``unpacked``.

    The ``.py`` file of a module is the one in a folder named ``nnkit``, else the
    shallowest; files larger than ``MAX_FILE`` are left out (with a note).
    """
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
        return {}, []
    files = list(_walk(root)) + list(_walk(unpacked))
    found: dict[str, Path] = {}
    for path in sorted(files, key=lambda p: _rank(p, root if root in p.parents else unpacked)):
        if path.suffix == ".py" and path.stem in API and path.stem not in found:
            if path.stat().st_size > MAX_FILE:
                notes.append(f"{quote_name(path.name)} is larger than {MAX_FILE >> 20} MB and was ignored")
                continue
            found[path.stem] = path
    return found, [p for p in files if p.suffix == ".ipynb"]


def stage_notebook(notebooks: list[Path], found: dict[str, Path], package: Path, manifest: dict,
                   notes: list[str]) -> list[str]:
    """Stage the modules a notebook defines functions of; return those modules.

    The first notebook with definitions is used. A notebook without any (the course
    notebook, which imports ``nnkit/``) gets a note saying what to upload instead.
    """
    for nb in notebooks:
        if nb.stat().st_size > MAX_FILE * 10:
            notes.append(f"{quote_name(nb.name)} is too large and was ignored")
            continue
        try:
            code = notebook_code(nb.read_text(encoding="utf-8", errors="replace"), quote_name(nb.name), notes)
        except (ValueError, MemoryError, RecursionError) as exc:  # hostile nesting defeats ast.parse (red team)
            notes.append(f"{exc}; nothing was taken from it")
            continue
        defined = _defined_names(code)
        wanted = set(manifest.get("modules", API)) | set(manifest.get("carried", []))
        if not defined & {f for m in wanted for f in API.get(m, {})}:
            if not found:
                files = ", ".join(f"nnkit/{m}.py" for m in manifest.get("modules", [])) or "your nnkit/*.py files"
                notes.append(f"{quote_name(nb.name)} defines none of the graded functions (it imports them from nnkit/): "
                             f"upload {files} as well — `python -m nnkit_check submit` in the homework "
                             "folder builds submission.zip with everything the grader needs")
            continue
        (package / "_notebook.py").write_text(code, encoding="utf-8")
        taken = []
        for module, functions in API.items():
            if module not in found and defined & set(functions):
                (package / f"{module}.py").write_text(
                    f'"""{module} functions taken from the notebook {quote_name(nb.name)}."""\nfrom nnkit._notebook import *  # noqa\n'
                )
                taken.append(module)
        return taken
    return []


def collect_submission(submission: Path, dest: Path, homework: Path | None = None,
                       reference: Path | None = None) -> tuple[Path, list[str]]:
    """Stage ``submission`` as ``dest/nnkit/<module>.py``; return ``(dest, notes)``.

    Inputs:
    - submission: a folder, a zip, a ``.py`` file or a notebook.
    - dest: an empty folder to stage into.
    - homework: the homework folder holding ``manifest.json`` (optional): a module of
      the homework missing from the upload is then staged as a stand-in whose import
      fails with a message naming the file to add (or, for a carried module when the
      manifest sets ``carried_from_reference``, taken from ``reference``).
    - reference: the folder holding the reference package ``nnkit/``.

    ``notes`` are messages for the student (what was taken from where, what is
    missing or still a stub, what was ignored and why).
    """
    submission = Path(submission)
    dest = Path(dest)
    manifest = read_manifest_json(homework)
    package = dest / "nnkit"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""A submission, staged by the grader."""\n')
    # the student release's helper package, which a student's module may import
    helper = dest / "nnkit_check"
    helper.mkdir(exist_ok=True)
    (helper / "__init__.py").write_text('"""Public helpers of the student release."""\n')
    shutil.copyfile(_gradcheck_source(), helper / "gradcheck.py")
    notes: list[str] = []
    unpacked = dest.parent / (dest.name + "-unpacked")
    unpacked.mkdir(exist_ok=True)
    found, notebooks = find_sources(submission, unpacked, notes)
    for module, path in sorted(found.items()):
        shutil.copyfile(path, package / f"{module}.py")
    from_notebooks = stage_notebook(notebooks, found, package, manifest, notes)
    remove_tree(unpacked)   # iterative: a zip can hold a folder chain deeper than rmtree's recursion
    if found:
        notes.insert(0, "modules taken from .py files: " + ", ".join(sorted(found)))
    if from_notebooks:
        notes.append("modules taken from the notebook (definitions and imports only): " + ", ".join(from_notebooks))
    if not found and not from_notebooks:
        wanted = ", ".join(f"{m}.py" for m in manifest.get("modules", [])) or "gates.py, layers.py, ..."
        notes.append(f"no nnkit module ({wanted} or a notebook defining their functions) "
                     "was found in the submission: nothing could be graded")
    if manifest:
        complete_from_manifest(package, manifest, reference, notes)
    return dest, notes
