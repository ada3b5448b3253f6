"""The homework notebooks: current, clean, and they run with correct code.

Each solution notebook runs top to bottom in a real Jupyter kernel (nbclient +
ipykernel, the kernel being this interpreter), in a temporary folder laid out
like the unzipped student release after a student filled in correct code: the
notebook, ``nnkit/`` (copies of the reference solution) and
``data/digits.npz``. The tests then read what the cells printed and drew.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.release.manifest import read_manifest
from autograder.repo import list_homeworks

ROOT = Path(__file__).resolve().parents[1]
HOMEWORKS = tuple(list_homeworks(ROOT))
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _load_generator():
    path = ROOT / "assignments" / "notebooks_src" / "make_notebooks.py"
    spec = importlib.util.spec_from_file_location("make_notebooks_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook_path(hw: str) -> Path:
    """assignments/<hw>/<notebook>: the file the manifest's ``notebook`` names (not always <hw>.ipynb)."""
    return ROOT / "assignments" / hw / read_manifest(ROOT, hw).notebook


def _read(hw: str) -> nbformat.NotebookNode:
    return nbformat.read(_notebook_path(hw), as_version=4)


def _split_solution(source: str) -> tuple[list[str], list[str]]:
    """(lines inside the solution markers, lines outside) of one cell; checks the pairing."""
    inside, outside, open_ = [], [], False
    for number, line in enumerate(source.splitlines(), 1):
        tag = line.strip()
        if tag == BEGIN:
            assert not open_, f"line {number}: nested {BEGIN}"
            open_ = True
        elif tag == END:
            assert open_, f"line {number}: {END} without {BEGIN}"
            open_ = False
        else:
            (inside if open_ else outside).append(line)
    assert not open_, f"{BEGIN} without {END}"
    return inside, outside


def _student_version(hw: str) -> nbformat.NotebookNode:
    """The notebook as the release ships it (the release pipeline's own stripping)."""
    from autograder.release.notebooks import student_notebook

    path = _notebook_path(hw)
    return nbformat.reads(student_notebook(path.read_text(encoding="utf-8"), str(path)), as_version=4)


def _python(source: str) -> ast.Module:
    """Parse a code cell, IPython magics (``%...``) left out."""
    return ast.parse("\n".join("" if ln.lstrip().startswith("%") else ln for ln in source.splitlines()))


def test_committed_notebooks_are_generated_from_source():
    generator = _load_generator()
    for hw in HOMEWORKS:
        path = _notebook_path(hw)
        assert generator.target(hw) == path
        assert path.read_text(encoding="utf-8") == generator.render(hw), (
            f"{path.relative_to(ROOT)} is stale: run python assignments/notebooks_src/make_notebooks.py"
        )


def test_generation_is_deterministic():
    first, second = _load_generator(), _load_generator()
    assert [first.render(hw) for hw in HOMEWORKS] == [second.render(hw) for hw in HOMEWORKS]


def _copy_source(hw: str, dest: Path) -> Path:
    """assignments/<hw>/'s manifest.toml and notebook.py (what the generator reads) copied to dest."""
    dest.mkdir(parents=True)
    for name in ("manifest.toml", "notebook.py"):
        shutil.copy(ROOT / "assignments" / hw / name, dest / name)
    return dest


def test_a_homework_folder_copied_under_a_new_name_builds_the_same_notebook(tmp_path, monkeypatch):
    """The notebook is the manifest's file name and its cell ids follow it, not the folder's name."""
    generator = _load_generator()
    monkeypatch.setattr(generator, "ASSIGNMENTS", tmp_path)
    _copy_source("hw1_backprop", tmp_path / "hw1_again")
    assert generator.homeworks() == ("hw1_again",)
    assert generator.target("hw1_again") == tmp_path / "hw1_again" / read_manifest(ROOT, "hw1_backprop").notebook
    assert generator.render("hw1_again") == _notebook_path("hw1_backprop").read_text(encoding="utf-8")


def test_generator_names_the_manifest_when_its_notebook_is_not_a_notebook_file(tmp_path, monkeypatch):
    generator = _load_generator()
    monkeypatch.setattr(generator, "ASSIGNMENTS", tmp_path)
    manifest = _copy_source("hw1_backprop", tmp_path / "hw1_backprop") / "manifest.toml"
    named = f'notebook = "{read_manifest(ROOT, "hw1_backprop").notebook}"'
    assert named in manifest.read_text(encoding="utf-8")
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(named, 'notebook = "../elsewhere.ipynb"'),
                        encoding="utf-8")
    with pytest.raises(ValueError, match=r"manifest\.toml: notebook must be a file name ending in \.ipynb"):
        generator.render("hw1_backprop")


def test_generator_writes_and_check_reports_stale(tmp_path, monkeypatch, capsys):
    generator = _load_generator()
    monkeypatch.setattr(generator, "ASSIGNMENTS", tmp_path)  # write nothing into the repository
    _copy_source("hw1_backprop", tmp_path / "hw1_backprop")
    assert generator.main(["--check", "hw1_backprop"]) == 1  # missing counts as stale
    assert "stale" in capsys.readouterr().err
    assert generator.main(["hw1_backprop"]) == 0
    written = generator.target("hw1_backprop")
    assert written.read_bytes() == _notebook_path("hw1_backprop").read_bytes()
    assert generator.main(["--check", "hw1_backprop"]) == 0
    written.write_text(written.read_text(encoding="utf-8").replace("Homework 1", "Homework one"), encoding="utf-8")
    assert generator.main(["--check", "hw1_backprop"]) == 1


def test_generator_rejects_unknown_homework():
    with pytest.raises(ValueError, match="unknown homework 'hw9'"):
        _load_generator().build("hw9")


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_notebook_is_valid_clean_and_parses(hw):
    nb = _read(hw)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids) == len(nb.cells)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert len(code_cells) >= 8 and sum(c.cell_type == "markdown" for c in nb.cells) >= 6
    for cell in code_cells:
        assert cell.outputs == [] and cell.execution_count is None, f"cell {cell.id} has stored output"
        _split_solution(cell.source)  # markers paired, not nested
        _python(cell.source)  # valid Python
    # The student release has no `autograder`: only the repository fallback of the data loader names it.
    for cell in code_cells:
        for line in cell.source.splitlines():
            if "autograder" in line and "import" in line:
                assert line.strip() == "from autograder.data import load_digits_split", line


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_exercises_are_few_and_nothing_later_depends_on_them(hw):
    nb = _read(hw)
    exercises = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and BEGIN in cell.source]
    assert 1 <= len(exercises) <= 3, "a few small exercises per notebook"
    for i in exercises:
        inside, _ = _split_solution(nb.cells[i].source)
        defined = {
            node.id
            for node in ast.walk(_python("\n".join(inside)))  # markers sit at the cell's top level
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
        assert defined, f"exercise cell {nb.cells[i].id} defines nothing"
        for later in nb.cells[i + 1:]:
            if later.cell_type == "code":
                used = {n.id for n in ast.walk(_python(later.source)) if isinstance(n, ast.Name)}
                assert not defined & used, f"cell {later.id} uses {defined & used} of exercise {nb.cells[i].id}"


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_student_version_is_valid_and_stops_before_each_check(hw):
    source, student = _read(hw), _student_version(hw)
    nbformat.validate(student)
    assert [c.id for c in student.cells] == [c.id for c in source.cells]
    for before, after in zip(source.cells, student.cells):
        if BEGIN not in before.source:
            assert after.source == before.source
            continue
        inside, outside = _split_solution(before.source)
        assert BEGIN not in after.source and "# YOUR CODE HERE" in after.source
        assert not {ln.strip() for ln in inside if ln.strip()} & {ln.strip() for ln in after.source.splitlines()}
        # the stub raises before the cell's own check of the answer runs
        lines = after.source.splitlines()
        stub_at = next(n for n, ln in enumerate(lines) if ln.strip() == "raise NotImplementedError")
        assert "assert" in "\n".join(lines[stub_at:]) and "assert" not in "\n".join(lines[:stub_at])
        _python(after.source)


def _solution_lines() -> set[str]:
    lines = set()
    for path in (ROOT / "solutions" / "nnkit").glob("*.py"):
        inside, open_ = [], False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() in (BEGIN, END):
                open_ = line.strip() == BEGIN
            elif open_:
                inside.append(line.strip())
        lines.update(ln for ln in inside if len(ln) >= 12 and not ln.startswith("#"))
    return lines


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_student_visible_lines_do_not_repeat_the_reference(hw):
    """The release's leak check would flag a notebook line equal to a solution line."""
    solution = _solution_lines()
    assert solution, "no reference solution lines found"
    for cell in _read(hw).cells:
        if cell.cell_type != "code":
            continue
        _, visible = _split_solution(cell.source)
        leaked = sorted({ln.strip() for ln in visible} & solution)
        assert not leaked, f"cell {cell.id} repeats reference lines: {leaked}"


# --------------------------------------------------------------------------- running them


def _kernel_manager(tmp_path: Path):
    """A KernelManager for this interpreter's ipykernel, from a kernelspec in tmp_path.

    Inline matplotlib backend: headless (renders to PNG, no display) and, unlike
    Agg, it puts the figures into the notebook's outputs, which we check.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec_dir = tmp_path / "kernels" / "nnkit-test"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "nnkit test kernel",
        "language": "python",
        "env": {
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "IPYTHONDIR": str(tmp_path / "ipython"),  # IPython's history and profile: not in $HOME
            "PYTHONHASHSEED": "0",
        },
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")], ensure_native_kernel=False)
    return KernelManager(kernel_name="nnkit-test", kernel_spec_manager=specs,
                         connection_file=str(tmp_path / "connection.json"))


def _student_folder(hw: str, tmp_path: Path) -> Path:
    """The unzipped student release of hw, with correct code in nnkit/."""
    folder = tmp_path / hw
    folder.mkdir()
    shutil.copy(_notebook_path(hw), folder)
    shutil.copytree(ROOT / "solutions" / "nnkit", folder / "nnkit", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "data").mkdir()
    shutil.copy(ROOT / "autograder" / "data" / "digits.npz", folder / "data" / "digits.npz")
    return folder


PROBE = """import sys
print("probe: nnkit from", sys.modules["nnkit"].__file__)
print("probe: autograder imported", "autograder" in sys.modules)"""


def _execute(hw: str, tmp_path: Path, nb: nbformat.NotebookNode, allow_errors: bool = False):
    """Run nb in hw's student folder, a probe cell appended; return (printed text, PNG count, nb)."""
    from nbclient import NotebookClient

    folder = _student_folder(hw, tmp_path)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE, id="probe"))
    client = NotebookClient(
        nb, km=_kernel_manager(tmp_path), timeout=120, allow_errors=allow_errors,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
    text, images = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                text.append(out.text)
            elif out.output_type in ("display_data", "execute_result"):
                images += "image/png" in out.data
                text.append(out.data.get("text/plain", ""))
    text = "\n".join(text)
    # the student's own package, next to the notebook; no course-repository code needed
    assert f"probe: nnkit from {folder / 'nnkit' / '__init__.py'}" in text
    assert "probe: autograder imported False" in text
    return text, images, nb


def _numbers(pattern: str, text: str) -> list[float]:
    found = [float(x) for x in re.findall(pattern, text)]
    assert found, f"nothing matched {pattern!r} in the notebook output:\n{text[-3000:]}"
    return found


@pytest.mark.slow
@pytest.mark.parametrize("hw", HOMEWORKS)
def test_solution_notebook_runs_in_a_kernel(hw, tmp_path):
    # per-homework bars: the manifest's [notebook_checks] (assignments/<hw>/manifest.toml)
    checks = read_manifest(ROOT, hw).data.get("notebook_checks", {})
    min_accuracy, min_figures = checks.get("min_accuracy"), checks.get("min_figures", 1)
    text, images, _ = _execute(hw, tmp_path, _read(hw))
    # every gradient table of the notebook: correct code gives float64 precision
    assert max(_numbers(r"max relative error: (\S+)", text)) < 1e-6
    assert "look at this one" not in text
    assert images >= min_figures
    if min_accuracy is not None:
        assert min(_numbers(r"test accuracy[^:]*: (\S+)", text)) >= min_accuracy


@pytest.mark.slow
def test_student_notebook_with_correct_modules_fails_only_in_the_exercises(tmp_path):
    """The shipped hw1 notebook, nnkit filled in, exercises not done yet: only those raise."""
    text, images, nb = _execute("hw1_backprop", tmp_path, _student_version("hw1_backprop"), allow_errors=True)
    failed = {c.id: o.ename for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"}
    exercises = {c.id for c in _read("hw1_backprop").cells if BEGIN in c.source}
    assert failed == {cell_id: "NotImplementedError" for cell_id in exercises}
    assert max(_numbers(r"max relative error: (\S+)", text)) < 1e-6 and images >= 1
