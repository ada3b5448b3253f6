"""Step 5: collect the files of each artifact (``arcname -> Entry``), nothing written yet.

- ``template_files``   student_template/nnkit/: every module as a stub
- ``student_files``    student.zip, one top folder ``<hw>/`` (ARCHITECTURE.md)
- ``autograder_files`` autograder.zip in Gradescope's layout (ARCHITECTURE.md)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from autograder.api_spec import api_of
from autograder.release.errors import Problem, ReleaseError, display_path
from autograder.release.manifest import Manifest
from autograder.release.notebooks import student_notebook
from autograder.release.stubs import stub_module
from autograder.release.zips import SCRIPT_MODE, Entry

TEMPLATES = Path(__file__).with_name("templates")
# Never packaged: caches and editor/OS droppings.
SKIP_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", ".DS_Store"}
SKIP_SUFFIXES = (".pyc", ".pyo", "~")
# Parts of the framework the Gradescope container does not need.
AUTOGRADER_SKIP = ("release", "instructor", "repo.py")  # the repository side stays home
GRADESCOPE = "autograder/grading/gradescope"

# The student-side check tool: name in nnkit_check/ -> source in the repository.
CHECK_TOOL = {
    "gradcheck.py": "autograder/gradcheck.py",
    "diagnose.py": "autograder/grading/diagnose.py",
    "__main__.py": "autograder/grading/student_check.py",
}
# Imports rewritten when a module moves into nnkit_check/.
CHECK_IMPORTS = {
    "autograder.gradcheck": "nnkit_check.gradcheck",
    "autograder.grading.diagnose": "nnkit_check.diagnose",
}


@dataclass
class Sources:
    """What one build reads from the repository, read once (shared by every homework).

    - reference: module -> reference source text (solutions/nnkit/<module>.py)
    - stubs: module -> stub text (only modules some artifact needs)
    """

    root: Path
    reference: dict[str, str] = field(default_factory=dict)
    stubs: dict[str, str] = field(default_factory=dict)

    def reference_path(self, module: str) -> Path:
        return self.root / "solutions" / "nnkit" / f"{module}.py"

    def api(self) -> dict[str, dict[str, str]]:
        """The homework API of this repository's reference: module -> function -> signature."""
        return api_of(self.root / "solutions" / "nnkit")

    def load(self, modules: list[str]) -> None:
        """Read and stub the reference modules ``modules`` (skipping those already done)."""
        problems: list[Problem] = []
        for module in modules:
            if module in self.stubs:
                continue
            path = self.reference_path(module)
            shown = display_path(path, self.root)
            if not path.is_file():
                problems.append(Problem(shown, 0, f"missing: the reference module {module!r}"))
                continue
            text = path.read_text(encoding="utf-8")
            try:
                self.stubs[module] = stub_module(text, shown, sorted(self.api().get(module, {})))
                self.reference[module] = text
            except ReleaseError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ReleaseError(problems)


def read_required(root: Path, relative: str, what: str) -> bytes:
    """The bytes of ``root/relative``, or a ReleaseError naming the missing file."""
    path = root / relative
    if not path.is_file():
        raise ReleaseError(Problem(relative, 0, f"missing: {what}"))
    return path.read_bytes()


def tree_files(folder: Path, skip_top: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX name -> bytes), caches skipped, sorted."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or SKIP_PARTS & set(relative.parts) or path.name.endswith(SKIP_SUFFIXES):
            continue
        if relative.parts[0] in skip_top:
            continue
        found[relative.as_posix()] = path.read_bytes()
    return found


def package_init(modules: list[str], what: str) -> str:
    """``nnkit/__init__.py`` of a release: a docstring only (importing nothing keeps one
    unfinished module from breaking the others)."""
    listed = ", ".join(f"``{m}``" for m in modules)
    return (f'"""nnkit: your implementation of the course\'s numpy toolkit ({what}).\n\n'
            f"Modules: {listed}.\n"
            "Import them by name (``from nnkit.layers import linear_forward``); this file\n"
            'imports nothing, so that one unfinished module never breaks the others.\n"""\n')


def template_files(sources: Sources) -> dict[str, str]:
    """student_template/nnkit/: ``__init__.py`` and a stub of every API module (name -> text)."""
    modules = sorted(sources.api())
    sources.load(modules)
    files = {"__init__.py": package_init(modules, "every module of the course")}
    files.update({f"{m}.py": sources.stubs[m] for m in modules})
    return files


def check_tool_files(root: Path) -> dict[str, bytes]:
    """``nnkit_check/`` of the student zip (name -> bytes): ``python -m nnkit_check``.

    Modules come from the framework with their ``autograder.*`` imports
    rewritten; a module that would still import ``autograder`` is an error.
    """
    files: dict[str, bytes] = {}
    for name, source in CHECK_TOOL.items():
        path = root / source
        if not path.is_file():
            raise ReleaseError(Problem(source, 0, f"missing: the student check tool needs it (nnkit_check/{name})"))
        text = path.read_text(encoding="utf-8")
        for old, new in CHECK_IMPORTS.items():
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        match = re.search(r"^\s*(from|import)\s+autograder\b.*$", text, re.MULTILINE)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise ReleaseError(Problem(source, line, "the student check tool cannot import "
                                       f"the autograder package ({match.group(0).strip()!r}); "
                                       "students only have nnkit_check/"))
        files[name] = text.encode("utf-8")
    files["__init__.py"] = (
        b'"""nnkit_check: your public tests and gradient checks, without the autograder.\n\n'
        b"Run ``python -m nnkit_check`` in the homework folder for a table of results;\n"
        b"``from nnkit_check.gradcheck import numeric_gradient, rel_error`` for your own checks.\n"
        b'"""\n')
    return files


def student_readme(manifest: Manifest, files: list[str]) -> str:
    """README.md of a student release, from templates/README.student.md."""
    graded_files = ", ".join(f"`{m}.py`" for m in manifest.modules)
    carried = manifest.carried
    carried_paragraph = ""
    if carried:
        names = ", ".join(f"`nnkit/{m}.py`" for m in carried)
        carried_paragraph = (
            f"\n{names} come from an earlier homework, as stubs again: copy your own\n"
            "solutions into them (they are not graded here, but the functions of this\n"
            "homework call them, and a test says so when it fails because of them).\n")
    escape = str.maketrans({"|": "\\|"})  # a | inside a cell would end it
    rows = "\n".join(
        f"| {q['number']} {q['name'].translate(escape)} | {q['points']} | "
        + ", ".join(f"`{f}`" for f in q["functions"]) + " |" for q in manifest.questions)
    top = f"{manifest.homework}/"
    layout = "\n".join(name[len(top):] for name in sorted(files) if name.startswith(top))
    text = Template((TEMPLATES / "README.student.md").read_text(encoding="utf-8"))
    return text.substitute(
        title=manifest.title, graded_bullets="\n".join(f"- `nnkit/{m}.py`" for m in manifest.modules),
        carried_paragraph=carried_paragraph, layout=layout, questions_table=rows,
        notebook=manifest.notebook, graded_files=graded_files)


def public_test_files(root: Path, manifest: Manifest) -> dict[str, bytes]:
    """The public tests of a homework (``test_*.py`` and helpers), or a ReleaseError."""
    folder = manifest.path.parent / "public_tests"
    shown = display_path(folder, root)
    files = tree_files(folder) if folder.is_dir() else {}
    if not any(re.match(r"(.*/)?test_[^/]*\.py$", name) for name in files):
        raise ReleaseError(Problem(shown, 0, "missing: no public test file test_*.py"))
    for name in ("conftest.py", "stubcheck.py"):
        if name in files:
            raise ReleaseError(Problem(f"{shown}/{name}", 0, f"the release writes tests/{name} "
                                       f"itself (autograder/release/templates/{name}); remove this one"))
    return files


def student_files(root: Path, manifest: Manifest, sources: Sources) -> dict[str, Entry]:
    """Every file of ``dist/<hw>/student.zip``, under the top folder ``<hw>/``."""
    hw = manifest.homework
    modules = manifest.modules + manifest.carried
    sources.load(modules)
    notebook_path = manifest.path.parent / manifest.notebook
    shown_nb = display_path(notebook_path, root)
    if not notebook_path.is_file():
        raise ReleaseError(Problem(shown_nb, 0, f"missing: the notebook named in {display_path(manifest.path, root)}"))
    notebook_text = notebook_path.read_text(encoding="utf-8")

    files: dict[str, bytes] = {
        f"{hw}/{manifest.notebook}": student_notebook(notebook_text, shown_nb).encode("utf-8"),
        f"{hw}/nnkit/__init__.py": package_init(modules, hw).encode("utf-8"),
        f"{hw}/tests/conftest.py": (TEMPLATES / "conftest.py").read_bytes(),
        f"{hw}/tests/stubcheck.py": (TEMPLATES / "stubcheck.py").read_bytes(),
        f"{hw}/pytest.ini": (TEMPLATES / "pytest.ini").read_bytes(),
    }
    for module in modules:
        files[f"{hw}/nnkit/{module}.py"] = sources.stubs[module].encode("utf-8")
    for name, data in public_test_files(root, manifest).items():
        files[f"{hw}/tests/{name}"] = data
    for name, data in check_tool_files(root).items():
        files[f"{hw}/nnkit_check/{name}"] = data
    if "digits.npz" in notebook_text:  # the notebook trains on the digits (ARCHITECTURE.md)
        files[f"{hw}/data/digits.npz"] = read_required(root, "autograder/data/digits.npz", "the digits data")
    readme = f"{hw}/README.md"
    files[readme] = student_readme(manifest, list(files) + [readme]).encode("utf-8")
    return {name: Entry(data) for name, data in files.items()}


def autograder_files(root: Path, manifest: Manifest, sources: Sources) -> dict[str, Entry]:
    """Every file of ``dist/<hw>/autograder.zip`` (Gradescope's layout, ARCHITECTURE.md)."""
    files: dict[str, Entry] = {}
    for script in ("setup.sh", "run_autograder"):
        data = read_required(root, f"{GRADESCOPE}/{script}", f"Gradescope's {script} template")
        files[script] = Entry(data, SCRIPT_MODE)
    files["runtime-requirements.txt"] = Entry(read_required(
        root, "autograder/runtime-requirements.txt", "the pins of the Gradescope image"))
    for name, data in tree_files(root / "autograder", skip_top=AUTOGRADER_SKIP).items():
        files[f"autograder/{name}"] = Entry(data)
    reference = root / "solutions" / "nnkit"
    for path in sorted(reference.glob("*.py")):
        files[f"reference/nnkit/{path.name}"] = Entry(path.read_bytes())
    files["homework/manifest.json"] = Entry(manifest.to_json().encode("utf-8"))
    hidden = manifest.path.parent / "hidden_tests"
    hidden_files = tree_files(hidden) if hidden.is_dir() else {}
    if not hidden_files:
        raise ReleaseError(Problem(display_path(hidden, root), 0, "missing: no hidden tests for "
                                   f"{manifest.homework} (the grading part writes them)"))
    for name, data in hidden_files.items():
        files[f"homework/hidden_tests/{name}"] = Entry(data)
    for name, data in public_test_files(root, manifest).items():
        files[f"homework/public_tests/{name}"] = Entry(data)
    return files
