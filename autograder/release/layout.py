"""Step 5: collect the files of each artifact (``arcname -> Entry``), nothing written yet.

- ``template_files``   student_template/nnkit/: every module as a stub
- ``student_files``    student.zip, one top folder ``<hw>/`` (ARCHITECTURE.md)
- ``autograder_files`` autograder.zip in Gradescope's layout (ARCHITECTURE.md)
"""

from __future__ import annotations

import pprint
import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from autograder.api_spec import api_of
from autograder.release.errors import Problem, ReleaseError, display_path
from autograder.release.manifest import Manifest
from autograder.release.notebooks import student_notebook
from autograder.release.stubs import drop_hints, stub_module
from autograder.release.zips import SCRIPT_MODE, Entry

TEMPLATES = Path(__file__).with_name("templates")
# Never packaged: caches and editor/OS droppings.
SKIP_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", ".DS_Store"}
SKIP_SUFFIXES = (".pyc", ".pyo", "~")
# Parts of the framework the Gradescope container does not need.
AUTOGRADER_SKIP = ("release", "instructor", "student", "repo.py")  # the repository side and the student tool stay home
GRADESCOPE = "autograder/grading/gradescope"

# The student-side check tool: name in nnkit_check/ -> source in the repository. Every
# ``autograder.*`` module these import is shipped beside them too (``check_tool_sources``),
# as nnkit_check/<last part>.py, with the imports rewritten.
CHECK_TOOL = {
    "gradcheck.py": "autograder/gradcheck.py",
    "diagnose.py": "autograder/grading/diagnose.py",
    "submission.py": "autograder/grading/submission.py",  # the grader's own collector, for `submit`
    "__main__.py": "autograder/student/check.py",
}
# Written by the release instead of copied: the API as data (students have no reference).
CHECK_GENERATED = {"autograder.api_spec": "api_spec.py"}
_AUTOGRADER_IMPORT = re.compile(r"^\s*(?:from|import)\s+(autograder(?:\.\w+)*)", re.MULTILINE)
# The homework's own gradient checks (assignments/<hw>/...), shipped as nnkit_check/homework_checks.py.
STUDENT_CHECKS = "student_checks.py"
CHECK_INIT = b'''"""nnkit_check: your public tests and gradient checks, without the autograder.

``python -m nnkit_check`` in the homework folder prints a table of results
(``python -m nnkit_check 1.3`` only question 1.3, ``--help`` the options);
``python -m nnkit_check submit`` writes submission.zip, the file to upload.
In a notebook: ``import nnkit_check; nnkit_check.check("1.3")``.
``from nnkit_check.gradcheck import numeric_gradient, rel_error`` for your own checks.
"""


def check(*questions, verbose=False):
    """Print the table of ``questions`` ("1.3", ...; none: all) for a notebook cell; the exit status."""
    from nnkit_check.__main__ import check as run

    return run(*questions, verbose=verbose)
'''


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


def api_data_module(api: dict[str, dict[str, str]]) -> str:
    """``nnkit_check/api_spec.py``: the API (module -> function -> signature) as a literal,
    for the collector that ``submit`` runs (students have no reference to read it from)."""
    body = pprint.pformat({m: dict(f) for m, f in api.items()}, width=100, sort_dicts=True)
    return ('"""The homework API as data: module -> function -> signature (written by the release\n'
            'from the reference; the grader reads the same from its reference)."""\n\n'
            f"API = {body}\n")


def check_tool_sources(root: Path) -> dict[str, str]:
    """Name in ``nnkit_check/`` -> repository file: ``CHECK_TOOL`` and every ``autograder.*``
    module they import, transitively (``CHECK_GENERATED`` ones excepted).

    Raises ReleaseError (file:line) for a missing file or two modules with one name.
    """
    sources: dict[str, str] = {}
    pending = list(CHECK_TOOL.items())
    while pending:
        name, source = pending.pop(0)
        if sources.get(name) == source:
            continue
        if name in sources:
            raise ReleaseError(Problem(source, 0, f"nnkit_check/{name} would be both {sources[name]} and "
                                       f"{source}: rename one"))
        path = root / source
        if not path.is_file():
            raise ReleaseError(Problem(source, 0, f"missing: the student check tool needs it (nnkit_check/{name})"))
        sources[name] = source
        for module in _AUTOGRADER_IMPORT.findall(path.read_text(encoding="utf-8")):
            if module not in CHECK_GENERATED and (root / (module.replace(".", "/") + ".py")).is_file():
                pending.append((module.rsplit(".", 1)[-1] + ".py", module.replace(".", "/") + ".py"))
    return sources


def check_tool_files(root: Path, manifest: Manifest | None = None) -> dict[str, bytes]:
    """``nnkit_check/`` of the student zip (name -> bytes): ``python -m nnkit_check``.

    Modules come from the framework with their ``autograder.*`` imports
    rewritten; a module that would still import ``autograder`` is an error.
    With ``manifest``: also the homework's ``manifest.json`` and its gradient checks
    (``assignments/<hw>/student_checks.py`` -> ``homework_checks.py``), which must exist.
    """
    sources = check_tool_sources(root)
    renames = {".".join(Path(src).with_suffix("").parts): f"nnkit_check.{Path(name).stem}"
               for name, src in sources.items()}
    renames.update({module: f"nnkit_check.{Path(name).stem}" for module, name in CHECK_GENERATED.items()})
    files: dict[str, bytes] = {}
    for name, source in sources.items():
        text = (root / source).read_text(encoding="utf-8")
        for old, new in sorted(renames.items(), key=lambda kv: -len(kv[0])):
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        match = re.search(r"^\s*(from|import)\s+autograder\b.*$", text, re.MULTILINE)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise ReleaseError(Problem(source, line, "the student check tool cannot import "
                                       f"the autograder package ({match.group(0).strip()!r}); "
                                       "students only have nnkit_check/"))
        files[name] = text.encode("utf-8")
    files["__init__.py"] = CHECK_INIT
    files["api_spec.py"] = api_data_module(api_of(root / "solutions" / "nnkit")).encode("utf-8")
    if manifest is not None:
        checks = manifest.path.parent / STUDENT_CHECKS
        files["homework_checks.py"] = read_required(
            root, display_path(checks, root), "the homework's gradient checks for nnkit_check")
        files["manifest.json"] = manifest.to_json().encode("utf-8")
    return files


def carried_reasons(manifest: Manifest, reference: dict[str, str]) -> dict[str, str]:
    """Carried module -> why the grader needs it ("network.py imports it"), from the
    reference's imports (read with ast, never run)."""
    from autograder.grading.submission import imported_modules

    reasons = {}
    for module in manifest.carried:
        users = [m for m in manifest.modules if module in imported_modules(reference.get(m, ""))]
        verb = "imports" if len(users) == 1 else "import"
        reasons[module] = (f"{', '.join(f'{m}.py' for m in users)} {verb} it" if users
                           else "this homework's functions use it")
    return reasons


def submit_bullets(manifest: Manifest, reference: dict[str, str]) -> str:
    """The list of what ``nnkit_check submit`` packs, for the README: graded files, carried
    files with where they come from and why, the notebook."""
    lines = [f"- `nnkit/{m}.py`: graded here;" for m in manifest.modules]
    for module, why in carried_reasons(manifest, reference).items():
        origin = manifest.carried_origin.get(module, "an earlier homework")
        lines.append(f"- `nnkit/{module}.py`: from {origin}, not graded here, but {why}: "
                     "copy your own solution into it;")
    lines.append(f"- `{manifest.notebook}`: your notebook, kept with your work (the grader reads `nnkit/`).")
    return "\n".join(lines)


def readme_keyword(manifest: Manifest, public_tests: dict[str, bytes]) -> str:
    """A word for the README's ``pytest -k`` example that selects some public test:
    the first function of the manifest (or its stem) that a test's name contains."""
    names = " ".join(re.findall(r"def (test_\w+)", b"\n".join(public_tests.values()).decode("utf-8", "replace")))
    for question in manifest.questions:
        for qualified in question["functions"]:
            func = qualified.partition(".")[2]
            for word in (func, re.sub(r"_(forward|backward)$", "", func)):
                if word in names:
                    return word
    return "test"


def student_readme(manifest: Manifest, files: list[str], reference: dict[str, str],
                   public_tests: dict[str, bytes]) -> str:
    """README.md of a student release, from templates/README.student.md."""
    carried = manifest.carried
    carried_paragraph = ""
    if carried:
        names = ", ".join(f"`nnkit/{m}.py`" for m in carried)
        reasons = carried_reasons(manifest, reference)
        why = "; ".join(f"{m}.py from {manifest.carried_origin.get(m, 'an earlier homework')}: {reasons[m]}"
                        for m in carried)
        carried_paragraph = (
            f"\n{names} come from an earlier homework, as stubs again: copy your own\n"
            f"solutions into them ({why}). They are not graded here, but the autograder\n"
            "needs them, and a test says so when it fails because of them.\n")
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
        notebook=manifest.notebook, submit_bullets=submit_bullets(manifest, reference),
        first_question=manifest.questions[0]["number"], keyword=readme_keyword(manifest, public_tests))


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
        stub = drop_hints(sources.stubs[module]) if manifest.drop_hints else sources.stubs[module]
        files[f"{hw}/nnkit/{module}.py"] = stub.encode("utf-8")
    public_tests = public_test_files(root, manifest)
    for name, data in public_tests.items():
        files[f"{hw}/tests/{name}"] = data
    for name, data in check_tool_files(root, manifest).items():
        files[f"{hw}/nnkit_check/{name}"] = data
    if "digits.npz" in notebook_text:  # the notebook trains on the digits (ARCHITECTURE.md)
        files[f"{hw}/data/digits.npz"] = read_required(root, "autograder/data/digits.npz", "the digits data")
    readme = f"{hw}/README.md"
    files[readme] = student_readme(manifest, list(files) + [readme], sources.reference, public_tests).encode("utf-8")
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
