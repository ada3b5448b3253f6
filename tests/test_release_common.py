"""Helpers shared by the release tests (``from test_release_common import ...``).

``make_repo`` lays out a small copy of the repository in a temp folder, so that
a test can plant a bad marker, a leak or a broken manifest and build from it
without touching the real checkout. Files the other parts of the project have
not written yet (notebooks, hidden tests, the Gradescope scripts) are replaced
by small stand-ins there, so that the release can be tested on its own.

The test at the bottom checks that the copy builds.
"""

import shutil
import zipfile
from pathlib import Path

import nbformat

from autograder.release.manifest import read_manifest
from autograder.repo import REPO as ROOT, list_homeworks

HOMEWORKS = tuple(list_homeworks(ROOT))
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")

# A notebook with one solution cell, one hidden-test cell and one output.
STANDIN_CELLS = [
    ("markdown", "# Stand-in notebook\nFill in the cell below."),
    ("code", "import numpy as np\n\ndef double(x):\n    \"\"\"Twice x.\"\"\"\n    ### BEGIN SOLUTION\n"
             "    secret_result_of_the_exercise = 2 * x\n    return secret_result_of_the_exercise\n"
             "    ### END SOLUTION"),
    ("code", "### BEGIN HIDDEN TESTS\nassert double(21) == 42, 'hidden check of the notebook'\n"
             "### END HIDDEN TESTS"),
    ("code", "print(double(2))"),
]


def standin_notebook() -> str:
    """A small source notebook with markers, as the notebook part would write it."""
    nb = nbformat.v4.new_notebook()
    for i, (kind, source) in enumerate(STANDIN_CELLS):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell.id = f"standin-{i}"
        nb.cells.append(cell)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", text="4\n")]
    nb.cells[-1].execution_count = 3
    return nbformat.writes(nb)


def make_repo(dest: Path, homeworks=HOMEWORKS, real_notebooks: bool = False) -> Path:
    """A copy of what the release reads, under ``dest``; returns ``dest``.

    Inputs:
    - dest: an empty (or missing) folder.
    - homeworks: homework folders to copy.
    - real_notebooks: copy the manifest's notebook (assignments/<hw>/<notebook>) when it exists (else always
      the stand-in, which keeps the tests independent of the notebooks' content).
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "solutions", dest / "solutions", ignore=IGNORE)
    shutil.copytree(ROOT / "autograder", dest / "autograder", ignore=IGNORE)
    gradescope = dest / "autograder" / "grading" / "gradescope"
    gradescope.mkdir(parents=True, exist_ok=True)
    for script in ("setup.sh", "run_autograder"):
        if not (gradescope / script).exists():
            (gradescope / script).write_text(f"#!/usr/bin/env bash\n# stand-in {script}\n")
    requirements = dest / "autograder" / "runtime-requirements.txt"
    if not requirements.exists():
        requirements.write_text("numpy==2.2.6\n")
    for hw in homeworks:
        src, hw_dest = ROOT / "assignments" / hw, dest / "assignments" / hw
        hw_dest.mkdir(parents=True)
        shutil.copy2(src / "manifest.toml", hw_dest / "manifest.toml")
        shutil.copy2(src / "student_checks.py", hw_dest / "student_checks.py")
        shutil.copytree(src / "public_tests", hw_dest / "public_tests", ignore=IGNORE)
        if (src / "hidden_tests").is_dir():
            shutil.copytree(src / "hidden_tests", hw_dest / "hidden_tests", ignore=IGNORE)
        else:
            (hw_dest / "hidden_tests").mkdir()
            (hw_dest / "hidden_tests" / "test_hidden_standin.py").write_text(
                "def test_hidden_standin_for_the_grading_part():\n"
                "    assert sorted_secret_values_of_the_hidden_test() == [1, 2, 3]\n")
        notebook = src / read_manifest(ROOT, hw).notebook  # the manifest's name, not always <hw>.ipynb
        if real_notebooks and notebook.exists():
            shutil.copy2(notebook, hw_dest / notebook.name)
        else:
            (hw_dest / notebook.name).write_text(standin_notebook())
    return dest


def unzip(path: Path, dest: Path) -> Path:
    """Extract ``path`` into ``dest`` and return ``dest``."""
    with zipfile.ZipFile(path) as archive:
        archive.extractall(dest)
    return dest


def read_zip(path: Path) -> dict:
    """name -> bytes of every entry of a zip."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_make_repo_builds_a_full_release(tmp_path):
    from autograder.release.build import build_release

    repo = make_repo(tmp_path / "repo")
    release = build_release(repo, tmp_path / "dist", with_template=False)
    assert sorted(release.zips) == list(HOMEWORKS)
    for hw in HOMEWORKS:
        assert (tmp_path / "dist" / hw / "student.zip").is_file()
        assert (tmp_path / "dist" / hw / "autograder.zip").is_file()
