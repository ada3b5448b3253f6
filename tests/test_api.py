"""The homework API is the reference's own code: read by ast, equal to what Python sees."""

import importlib
import importlib.util
import inspect
import re
import shutil
from pathlib import Path

import pytest

from autograder import api_spec
from autograder.api_spec import API, APIError, api_of, module_functions

CASES = [(m, f, sig) for m, funcs in API.items() for f, sig in funcs.items()]


@pytest.mark.parametrize("module,func,signature", CASES, ids=[f"{m}.{f}" for m, f, _ in CASES])
def test_api_signature_is_what_python_sees(module, func, signature):
    mod = importlib.import_module(f"nnkit.{module}")
    got = str(inspect.signature(getattr(mod, func)))
    assert got == signature, f"nnkit.{module}.{func}: ast gave {signature}, inspect gives {got}"


def test_api_is_every_public_function_of_every_reference_module(repo_root):
    for path in sorted((repo_root / "solutions" / "nnkit").glob("*.py")):
        if path.stem == "__init__":
            continue
        mod = importlib.import_module(f"nnkit.{path.stem}")
        public = {name for name, obj in vars(mod).items()
                  if inspect.isfunction(obj) and obj.__module__ == mod.__name__ and not name.startswith("_")}
        assert set(API[path.stem]) == public, path


@pytest.mark.parametrize("module", sorted(API))
def test_every_public_function_has_shaped_docstring(module):
    mod = importlib.import_module(f"nnkit.{module}")
    for name in API[module]:
        doc = inspect.getdoc(getattr(mod, name)) or ""
        assert "Inputs" in doc and "Returns" in doc, (
            f"nnkit.{module}.{name}: docstring must list Inputs and Returns with shapes"
        )


def test_a_new_reference_module_is_in_the_api_without_other_edits(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "dropout.py").write_text(
        "def dropout_forward(x, p: float = 0.5, *, seed=0):\n    return x\n\n"
        "def _mask(x):\n    return x\n\nHELPER = 1\n")
    (tmp_path / "_private.py").write_text("def f(x):\n    return x\n")
    assert api_of(tmp_path) == {"dropout": {"dropout_forward": "(x, p=0.5, *, seed=0)"}}


def test_a_reference_that_does_not_parse_is_named_with_its_line(tmp_path):
    bad = tmp_path / "broken.py"
    bad.write_text("def ok(x):\n    return x\n\ndef broken(x:\n")
    with pytest.raises(APIError, match="^" + re.escape(f"{bad}:4: does not parse")):
        module_functions(bad)


def test_in_autograder_zip_the_api_comes_from_reference_nnkit(tmp_path):
    # autograder.zip's layout: autograder/api_spec.py beside reference/nnkit/
    (tmp_path / "autograder").mkdir()
    shutil.copy2(Path(api_spec.__file__), tmp_path / "autograder" / "api_spec.py")
    (tmp_path / "reference" / "nnkit").mkdir(parents=True)
    (tmp_path / "reference" / "nnkit" / "gates.py").write_text("def add_forward(x, y):\n    return x + y\n")
    spec = importlib.util.spec_from_file_location("shipped_api_spec", tmp_path / "autograder" / "api_spec.py")
    shipped = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shipped)
    assert shipped.default_reference() == (tmp_path / "reference" / "nnkit").resolve()
    assert shipped.API == {"gates": {"add_forward": "(x, y)"}}


def test_the_api_document_is_current(repo_root):
    from autograder.instructor.apidoc import TARGET, render

    assert (repo_root / TARGET).read_text(encoding="utf-8") == render(repo_root), (
        f"{TARGET} is stale: run python -m autograder.instructor.apidoc (nnkit release does it too)")


def test_the_api_document_lists_a_new_module(tmp_path, repo_root):
    from autograder.instructor.apidoc import render

    shutil.copytree(repo_root / "solutions" / "nnkit", tmp_path / "solutions" / "nnkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "assignments").mkdir()
    (tmp_path / "solutions" / "nnkit" / "dropout.py").write_text("def dropout_forward(x, p=0.5):\n    return x\n")
    text = render(tmp_path)
    assert "## nnkit/dropout.py" in text and "- `dropout_forward(x, p=0.5)`" in text
    assert "In: no homework yet." in text
