"""Collecting submissions: folders, flat files, zips, notebooks — nothing executed on the trusted side."""

import json
import shutil
import zipfile

from autograder.grading.submission import collect_submission, notebook_code
from grading_support import FIXTURES


def staged(tmp_path, submission):
    dest, notes = collect_submission(submission, tmp_path / "staged")
    return sorted(p.name for p in (dest / "nnkit").iterdir()), notes


def test_flat_files_and_stray_modules(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "gates.py").write_text("x = 1\n")
    (sub / "numpy.py").write_text("raise SystemExit\n")   # never staged: not an API module
    (sub / "__init__.py").write_text("import os; os._exit(1)\n")
    names, notes = staged(tmp_path, sub)
    assert names == ["__init__.py", "gates.py"]
    assert (tmp_path / "staged" / "nnkit" / "__init__.py").read_text().startswith('"""A submission')
    assert "def numeric_gradient" in (tmp_path / "staged" / "nnkit_check" / "gradcheck.py").read_text()
    assert "modules taken from .py files: gates" in notes


def test_nested_nnkit_folder_wins_over_other_copies(tmp_path):
    sub = tmp_path / "sub"
    (sub / "hw1" / "nnkit").mkdir(parents=True)
    (sub / "hw1" / "nnkit" / "layers.py").write_text("WHICH = 'package'\n")
    (sub / "old").mkdir()
    (sub / "old" / "layers.py").write_text("WHICH = 'old'\n")
    names, _ = staged(tmp_path, sub)
    assert "layers.py" in names
    assert "package" in (tmp_path / "staged" / "nnkit" / "layers.py").read_text()


def test_zip_is_unpacked_safely(tmp_path):
    archive = tmp_path / "sub.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("hw1/nnkit/gates.py", "A = 1\n")
        zf.writestr("../../evil.py", "B = 2\n")
    names, _ = staged(tmp_path, archive)
    assert names == ["__init__.py", "gates.py"]
    assert not (tmp_path.parent / "evil.py").exists()


def test_notebook_keeps_imports_definitions_and_constants_only(tmp_path):
    notes = []
    code = notebook_code((FIXTURES / "hw1_gates_notebook.ipynb").read_text(), "nb.ipynb", notes)
    assert "def add_forward" in code and "def max_backward" in code and "TOL = 1e-06" in code
    assert "while True" not in code and "SystemExit" not in code and "print(" not in code
    assert "from nnkit" not in code
    assert "try:\n    import matplotlib.pyplot as plt\nexcept ImportError:" in code
    assert notes == ["nb.ipynb, cell 8: SyntaxError at line 1: invalid syntax — cell skipped"] or \
        notes[0].startswith("nb.ipynb, cell 8: SyntaxError at line 1")
    compile(code, "nb", "exec")


def test_notebook_submission_is_staged_per_module(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy2(FIXTURES / "hw1_gates_notebook.ipynb", sub / "hw1_backprop.ipynb")
    names, notes = staged(tmp_path, sub)
    assert names == ["__init__.py", "_notebook.py", "gates.py"]
    assert any("modules taken from the notebook (definitions and imports only): gates" in n for n in notes)


def test_corrupt_notebook_and_empty_submission_are_reported(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    names, notes = staged(tmp_path, sub)
    assert names == ["__init__.py"] and "nothing could be graded" in notes[-1]
    shutil.copy2(FIXTURES / "corrupt.ipynb", sub / "hw.ipynb")
    (tmp_path / "staged").rename(tmp_path / "old")
    names, notes = staged(tmp_path, sub)
    assert names == ["__init__.py"]
    assert any("hw.ipynb is not a valid notebook" in n for n in notes)


def test_nbformat3_notebook(tmp_path):
    nb = {"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code", "input": ["def relu_forward(x):\n", "    return x\n"]}]}]}
    code = notebook_code(json.dumps(nb), "old.ipynb", [])
    assert "def relu_forward(x)" in code


def test_flat_files_with_flat_imports_are_graded(tmp_path):
    from autograder.grading import grade_submission
    from autograder.repo import homework_from_repo
    from grading_support import ROOT

    sub = tmp_path / "flat"
    sub.mkdir()
    for module in ("activations", "layers"):
        shutil.copy2(ROOT / "solutions" / "nnkit" / f"{module}.py", sub / f"{module}.py")
    layers = sub / "layers.py"
    layers.write_text("from activations import relu_forward as _relu  # a flat import\n"
                      "from nnkit_check.gradcheck import numeric_gradient  # the release's helper\n" + layers.read_text())
    homework, reference = homework_from_repo("hw1_backprop")
    results = grade_submission(sub, homework, reference)
    scores = {t["number"]: (t["score"], t["max_score"]) for t in results["tests"]}
    assert scores["1.6.1"] == (10, 10) and scores["1.6.2"] == (10, 10)
    assert scores["1.3.3"] == (5, 5) and scores["1.1.1"] == (0, 5)


def homework_dir(tmp_path, **settings):
    """A homework folder holding hw2's manifest.json (as the release writes it), with ``settings``."""
    from autograder.release.manifest import load_manifest
    from grading_support import ROOT

    folder = tmp_path / "homework"
    folder.mkdir()
    data = json.loads(load_manifest(ROOT, "hw2_training").to_json())
    (folder / "manifest.json").write_text(json.dumps({**data, **settings}))
    return folder


def graded_modules_only(tmp_path):
    """hw2's four graded files, as its old README asked: no carried activations.py / layers.py."""
    from grading_support import ROOT

    sub = tmp_path / "sub"
    sub.mkdir()
    for module in ("losses", "network", "optim", "preprocess"):
        shutil.copy2(ROOT / "solutions" / "nnkit" / f"{module}.py", sub / f"{module}.py")
    return sub


def test_missing_carried_module_is_named_with_where_it_comes_from_and_who_imports_it(tmp_path):
    dest, notes = collect_submission(graded_modules_only(tmp_path), tmp_path / "staged", homework_dir(tmp_path))
    expected = "add nnkit/layers.py, from Homework 1: network.py imports it"
    assert any(n.startswith("missing: " + expected) for n in notes), notes
    # the staged stand-in fails to import with that message, so every test it breaks says it too
    stand_in = (dest / "nnkit" / "layers.py").read_text()
    assert "raise ImportError(" in stand_in and expected in stand_in


def test_missing_carried_module_can_be_taken_from_the_reference(tmp_path):
    from grading_support import ROOT

    homework = homework_dir(tmp_path, carried_from_reference=True)
    dest, notes = collect_submission(graded_modules_only(tmp_path), tmp_path / "staged", homework, ROOT / "solutions")
    assert (dest / "nnkit" / "layers.py").read_bytes() == (ROOT / "solutions" / "nnkit" / "layers.py").read_bytes()
    assert "nnkit/layers.py was not in your upload: the course's solution of it was used" in notes
    assert not any(n.startswith("missing:") for n in notes)


def test_unmodified_course_notebook_says_what_to_upload_instead(tmp_path):
    from grading_support import ROOT

    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy2(ROOT / "assignments" / "hw2_training" / "hw2_training.ipynb", sub)
    _, notes = collect_submission(sub, tmp_path / "staged", homework_dir(tmp_path))
    text = "\n".join(notes)
    assert "hw2_training.ipynb defines none of the graded functions" in text
    assert "python -m nnkit_check submit" in text
    assert "missing: add nnkit/losses.py: it is graded here (questions 2.1, 2.2)" in text
    assert "gates.py" not in text  # hw1's files are not hw2's


def test_stub_functions_and_imported_modules_read_source_without_running_it():
    from autograder.grading.submission import imported_modules, stub_functions

    source = ('from nnkit.layers import linear_forward\nfrom . import activations\nimport losses\n'
              'def f(x):\n    """doc"""\n    # YOUR CODE HERE\n    raise NotImplementedError\n'
              'def g(x):\n    return x\n')
    assert stub_functions(source) == ["f"]
    assert imported_modules(source) == {"layers", "activations", "losses"}
