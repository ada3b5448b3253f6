"""The bank of mutants and correct alternatives, checked without the grading engine.

Every entry parses, names an API module and replaces API functions with their
exact signature; a buggy entry's KILLED_BY names questions of its homework.
Then, in-process (the bank is trusted test code): every buggy (or pending)
entry differs from the reference on at least one of the probes its homework
keeps in ``assignments/<hw>/bank/probes.py``, and every correct entry agrees
with the reference on all of them (up to signs where ``SIGN_FREE`` says so,
RNG-dependent results by the ``PROPERTIES`` given there).
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import sys

import numpy as np
import pytest

from autograder.api_spec import API
from autograder.instructor.bank import ROOT, build_submission, load_bank, load_entry, strip_markers
from autograder.release.manifest import list_homeworks
from autograder.release.manifest import read_manifest

HOMEWORKS = list_homeworks(ROOT)
MINIMUM = {"hw1_backprop": 15, "hw2_training": 15, "hw3_cnn": 10}  # any other homework: one buggy entry
# pending entries (mutants the hidden tests do not catch yet) are checked like buggy ones here
ENTRIES = [e for hw in HOMEWORKS for e in load_bank(hw) + load_bank(hw, "pending")]


def _ids(entries):
    return [e.key for e in entries]


# --------------------------------------------------------------------------- static checks


def test_bank_is_large_enough():
    for hw in HOMEWORKS:
        assert len(load_bank(hw, "buggy")) >= MINIMUM.get(hw, 1), hw
    assert sum(len(load_bank(hw, "buggy")) for hw in HOMEWORKS) >= 40
    assert sum(len(load_bank(hw, "correct")) for hw in HOMEWORKS) >= 10
    assert set(HOMEWORKS) <= set(list_homeworks(ROOT))


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_entry_names_api_functions_and_questions(entry, repo_root):
    manifest = read_manifest(repo_root, entry.hw)
    assert entry.module in manifest.modules, f"{entry.key}: patches {entry.module}, not graded by {entry.hw}"
    tree = ast.parse(entry.path.read_text(encoding="utf-8"))
    assert not any(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in tree.body), \
        "a __future__ import cannot be appended to a module"
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for name in entry.api_functions:
        expected = API[entry.module][name]
        got = "(" + ast.unparse(defs[name].args) + ")"
        assert got == expected, f"{entry.key}: {name}{got} but the reference says {name}{expected}"
    # helpers must not shadow a name the reference module defines (that would patch more than announced)
    reference_names = {n.name for n in ast.parse((repo_root / "solutions" / "nnkit" / f"{entry.module}.py")
                                                 .read_text(encoding="utf-8")).body
                       if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    for name in set(defs) - set(API[entry.module]):
        assert name not in reference_names, f"{entry.key}: helper {name} shadows the reference's"
    questions = {q["number"] for q in manifest.questions}
    for number in entry.killed_by:
        assert number in questions, f"{entry.key}: KILLED_BY names {number}, not a question of {entry.hw}"
        funcs = next(q["functions"] for q in manifest.questions if q["number"] == number)
        assert any(f.split(".")[0] == entry.module for f in funcs), \
            f"{entry.key}: question {number} grades none of {entry.module}'s functions"


def test_load_entry_rejects_malformed_files(tmp_path):
    folder = tmp_path / "assignments" / "hw1_backprop" / "bank" / "buggy"
    folder.mkdir(parents=True)
    cases = {
        "no_doc.py": 'MODULE = "gates"\nKILLED_BY = ["1.1"]\ndef add_forward(x, y):\n    return x\n',
        "bad_module.py": '"""doc"""\nMODULE = "nope"\nKILLED_BY = ["1.1"]\ndef f():\n    pass\n',
        "no_killed_by.py": '"""doc"""\nMODULE = "gates"\ndef add_forward(x, y):\n    return x\n',
        "no_api_function.py": '"""doc"""\nMODULE = "gates"\nKILLED_BY = ["1.1"]\ndef helper():\n    pass\n',
        "syntax.py": '"""doc"""\nMODULE = "gates"\ndef (:\n',
    }
    for name, text in cases.items():
        (folder / name).write_text(text)
        with pytest.raises(ValueError) as info:
            load_entry(folder / name)
        assert name in str(info.value)


def test_build_submission_strips_markers_and_appends(tmp_path, repo_root):
    entry = next(e for e in ENTRIES if e.name == "relu_backward_mask_ge")
    package = build_submission(entry, tmp_path / "sub")
    manifest = read_manifest(repo_root, entry.hw)
    assert sorted(p.stem for p in package.glob("*.py")) == sorted(["__init__"] + manifest.modules + manifest.carried)
    text = (package / "activations.py").read_text()
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert text.rstrip().endswith(entry.path.read_text().rstrip())
    assert strip_markers("a\n    ### BEGIN SOLUTION\nb\n### END SOLUTION\n") == "a\nb\n"
    with pytest.raises(FileExistsError):
        build_submission(entry, tmp_path / "sub")


# --------------------------------------------------------------------------- behaviour


def _homework_probes(hw: str):
    """The module ``assignments/<hw>/bank/probes.py`` (None if absent). It defines

    - ``PROBES``: function name -> list of (args, kwargs), valid inputs with the edge cases
      the homework's mutants get wrong;
    - optionally ``PROPERTIES``: function name -> ``check(value, args, kwargs) -> bool`` for
      functions whose result depends on random draws (a correct alternative is held to the
      spec's properties, not to the reference's draws);
    - optionally ``SIGN_FREE``: function name -> the axis along which the result's signs are
      free, or {index in the returned tuple: axis};
    - optionally ``REFERENCE_MAY_RAISE``: functions whose probes include invalid input.
    """
    path = ROOT / "assignments" / hw / "bank" / "probes.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"bank_probes_{hw}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PROBE_MODULES = {hw: _homework_probes(hw) for hw in HOMEWORKS}


def _setting(hw: str, name: str) -> dict:
    return getattr(PROBE_MODULES[hw], name, None) or {}


def _probes_of(entry, name) -> list:
    probes = _setting(entry.hw, "PROBES")
    assert name in probes, f"no probe inputs for {name}: add some to assignments/{entry.hw}/bank/probes.py (PROBES)"
    return probes[name]


def _load(entry, tmp_path):
    """The entry's patched module, imported by path under a unique name (its imports use the reference)."""
    package = build_submission(entry, tmp_path / "sub")
    name = f"bank_{entry.hw}_{entry.kind}_{entry.name}_{entry.module}"
    spec = importlib.util.spec_from_file_location(name, package / f"{entry.module}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def _call(fn, args, kwargs):
    """('ok', value) or ('raise', exception type); numpy warnings silenced (NaN shows in the value)."""
    copies = [np.copy(v) if isinstance(v, np.ndarray) else
              ({k: w.copy() for k, w in v.items()} if isinstance(v, dict) else v) for v in args]
    try:
        with np.errstate(all="ignore"):
            return "ok", fn(*copies, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a mutant may fail in any way
        return "raise", type(exc)


def _same(a, b, sign_free_axis=None) -> bool:
    """Recursive equality of results within float64 tolerance; NaN never equals anything."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(
            _same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b)))
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    if sign_free_axis is not None and a.size:
        # flip b's slices along the axis so that their largest entry has a's sign
        flat_a, flat_b = np.moveaxis(a, sign_free_axis, 0), np.moveaxis(b, sign_free_axis, 0)
        flat_b = np.stack([s * (np.sign(np.sum(s * t)) or 1.0) for s, t in zip(flat_b, flat_a)])
        b = np.moveaxis(flat_b, 0, sign_free_axis)
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _agree(name, got, want, sign_free=None) -> bool:
    """Whether a result of API function ``name`` is as correct as the reference's.

    ``sign_free``: the axis along which the result's signs are free, or {tuple index: axis}.
    """
    if got[0] != want[0]:
        return False
    if got[0] == "raise":
        return got[1] is want[1]
    g, w = got[1], want[1]
    if isinstance(sign_free, dict):  # e.g. pca: Z's columns flip with the components' rows
        return (isinstance(g, tuple) and len(g) == len(w)
                and all(_same(x, y, sign_free_axis=sign_free.get(i)) for i, (x, y) in enumerate(zip(g, w))))
    return _same(g, w, sign_free_axis=sign_free)


BUGGY = [e for e in ENTRIES if e.is_mutant]
CORRECT = [e for e in ENTRIES if e.kind == "correct"]


@pytest.mark.parametrize("entry", BUGGY, ids=_ids(BUGGY))
def test_buggy_entry_differs_from_reference(entry, tmp_path):
    mutant = _load(entry, tmp_path)
    reference = importlib.import_module(f"nnkit.{entry.module}")
    differs = []
    for name in entry.api_functions:
        for args, kwargs in _probes_of(entry, name):
            want = _call(getattr(reference, name), args, kwargs)
            assert want[0] == "ok" or name in _setting(entry.hw, "REFERENCE_MAY_RAISE"), \
                f"a probe of {name} in assignments/{entry.hw}/bank/probes.py is invalid for the reference"
            if not _agree(name, _call(getattr(mutant, name), args, kwargs), want,
                          _setting(entry.hw, "SIGN_FREE").get(name)):
                differs.append(name)
    assert differs, f"{entry.key} ({entry.doc}) agrees with the reference on every probe"


@pytest.mark.parametrize("entry", CORRECT, ids=_ids(CORRECT))
def test_correct_entry_agrees_with_reference(entry, tmp_path):
    alternative = _load(entry, tmp_path)
    reference = importlib.import_module(f"nnkit.{entry.module}")
    for name in entry.api_functions:
        assert inspect.signature(getattr(alternative, name)) == inspect.signature(getattr(reference, name))
        for args, kwargs in _probes_of(entry, name):
            got = _call(getattr(alternative, name), args, kwargs)
            properties = _setting(entry.hw, "PROPERTIES").get(name)
            if properties is not None:
                assert got[0] == "ok" and properties(got[1], args, kwargs), f"{entry.key}: {name} breaks its spec"
            else:
                want = _call(getattr(reference, name), args, kwargs)
                assert _agree(name, got, want, _setting(entry.hw, "SIGN_FREE").get(name)), \
                    f"{entry.key}: {name} differs from the reference"


def test_comparison_helpers_can_fail():
    """The probes' comparisons are not vacuous: a sign flip is caught except where signs are free."""
    a = np.arange(6.0).reshape(2, 3) + 1
    assert not _same(a, -a) and _same(a, a * [[1], [-1]], sign_free_axis=0)
    assert not _same(np.array([np.nan]), np.array([np.nan]))
    assert not _agree("l2_loss", ("ok", (1.0, a)), ("raise", ValueError))
    assert _agree("pca", ("ok", (a, -a, 1.0)), ("ok", (a, a, 1.0)), {0: 1, 1: 0})      # row signs are free
    assert not _agree("pca", ("ok", (a, -a, 1.0)), ("ok", (a, a, 2.0)), {0: 1, 1: 0})  # the rest is not
    minibatches = _setting("hw2_training", "PROPERTIES")["minibatch_indices"]
    assert not minibatches([np.arange(3)], (4, 3, 0), {}) and minibatches([np.arange(3), np.array([3])], (4, 3, 0), {})
