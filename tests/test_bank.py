"""The bank of mutants and correct alternatives, checked without the grading engine.

Every entry parses, names an API module and replaces API functions with their
exact signature; a buggy entry's KILLED_BY names questions of its homework.
Then, in-process (the bank is trusted test code): every buggy entry differs
from the reference on at least one of the probes below, and every correct
entry agrees with the reference on all of them (PCA/whitening up to signs,
RNG-dependent results by their properties).
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
        assert got == expected, f"{entry.key}: {name}{got} but API.md says {name}{expected}"
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


def _rng(seed=0):
    return np.random.default_rng(seed)


def _f_jac(v):
    return np.array([v[0] * v[1], np.sin(v[2]) + v[0] ** 2])


def _net_params(seed=3, sizes=(4, 5, 3)):
    rng = _rng(seed)
    return {k: v for l in range(1, len(sizes)) for k, v in (
        (f"W{l}", rng.standard_normal((sizes[l], sizes[l - 1]))), (f"b{l}", rng.standard_normal(sizes[l])))}


def _cnn_params(seed=4):
    rng = _rng(seed)
    return {"W1": rng.standard_normal((3, 1, 3, 3)), "b1": rng.standard_normal(3),
            "W2": rng.standard_normal((4, 3 * 4 * 4)) * 0.3, "b2": rng.standard_normal(4)}


def _probes():
    """function name -> list of (args, kwargs), valid inputs with the edge cases mutants get wrong."""
    r = _rng(1)
    a, b, d = r.standard_normal((3, 4)), r.standard_normal((3, 4)), r.standard_normal((3, 4))
    ties_x, ties_y = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[1.0, 0.0], [3.0, 5.0]])
    with_zero = np.array([-2.0, 0.0, 0.0, 1.5, 3.0])
    X1 = np.hstack([np.ones((5, 1)), r.standard_normal((5, 2))])
    big = np.array([-1000.0, -3.0, 0.0, 2.0, 1000.0])
    W23, W33 = r.standard_normal((2, 3)), r.standard_normal((3, 3))
    x3 = r.standard_normal(3)
    Xn, yn = r.standard_normal((10, 4)), r.integers(0, 3, 10)
    Xc = np.hstack([r.standard_normal((8, 3)) * [3.0, 1.0, 0.3], np.full((8, 1), 2.0)])
    Xp = r.standard_normal((30, 4)) * [4.0, 2.0, 1.0, 0.5]
    Xdeg = np.hstack([Xp[:, :2], Xp[:, :1]])  # a duplicated feature: a zero-variance direction
    xc, wc = r.standard_normal((2, 3, 5, 5)), r.standard_normal((4, 3, 3, 3))
    xc2, wc2 = r.standard_normal((2, 2, 6, 6)), r.standard_normal((3, 2, 2, 3))
    ties = r.integers(0, 3, (2, 2, 4, 4)).astype(float)
    xo = r.standard_normal((1, 2, 5, 5))
    x46 = r.standard_normal((1, 2, 4, 6))  # H != W
    imgs, labels = r.standard_normal((3, 1, 8, 8)), np.array([0, 3, 1])
    from nnkit.network import loss_and_grads
    return {
        "add_backward": [((d, a, b), {})],
        "mul_backward": [((d, a, b), {})],
        "max_backward": [((np.array([[2.0, -1.0], [0.5, 4.0]]), ties_x, ties_y), {}), ((d, a, b), {})],
        "neuron_forward": [((X1, r.standard_normal(3)), {}), ((X1[0], np.array([0.5, -1.0, 2.0])), {})],
        "neuron_backward": [((r.standard_normal(5), X1, np.array([0.5, -1.0, 2.0])), {}),
                            ((np.float64(1.3), X1[0], np.array([0.5, -1.0, 2.0])), {})],
        "sigmoid_forward": [((big,), {}), ((a,), {})],
        "sigmoid_backward": [((d, a), {}), ((np.ones(5), big), {})],
        "tanh_forward": [((big,), {}), ((a,), {})],
        "tanh_backward": [((d, a), {})],
        "relu_backward": [((np.arange(1.0, 6.0), with_zero), {}), ((d, a), {})],
        "leaky_relu_backward": [((np.arange(1.0, 6.0), with_zero), {"alpha": 0.2}), ((d, a), {})],
        "numerical_jacobian": [((_f_jac, x3), {})],
        "relu_jacobian": [((with_zero,), {})],
        "chain_rule": [((r.standard_normal((3, 2)), r.standard_normal(2)), {}), ((W33, x3), {})],
        "linear_l2_backward": [((1.5, W23, x3), {}), ((2.0, W33, x3), {})],
        "linear_forward": [((a, r.standard_normal((2, 4)), r.standard_normal(2)), {}),
                           ((a[:, :3], W33, x3), {})],
        "linear_backward": [((r.standard_normal((3, 2)), a[:, :3], W23, r.standard_normal(2)), {})],
        "l2_loss": [((a, b), {})],
        "hinge_loss": [((np.array([1.0, -1.0, 0.5, 2.0, -0.2]), np.array([1.0, -1.0, 1.0, -1.0, 1.0])), {})],
        "svm_loss": [((r.standard_normal((4, 5)), np.array([0, 4, 2, 2])), {}),
                     ((np.array([[2.0, 1.0, 0.5], [0.0, 3.0, -1.0]]), np.array([0, 1])), {})],  # a margin of exactly 0
        "softmax_cross_entropy": [((r.standard_normal((4, 3)), np.array([0, 2, 1, 1])), {}),
                                  ((np.array([[1000.0, 0.0, -1000.0], [3.0, 1.0, 2.0]]), np.array([1, 0])), {})],
        "binary_cross_entropy": [((np.array([1000.0, -1000.0, 0.5, -2.0]), np.array([0.0, 1.0, 1.0, 0.0])), {})],
        "l2_regularization": [((W23, 0.3), {})],
        "init_params": [(([4, 6, 3],), {"seed": 1})],
        "forward": [((_net_params(), Xn), {})],
        "loss_and_grads": [((_net_params(), Xn, yn), {"reg": 0.1})],
        "gd_step": [((a, d, 0.1), {})],
        "momentum_step": [((a, b, d, 0.1, 0.9), {})],
        "nesterov_step": [((a, d, b, 0.1, 0.9), {})],
        "rmsprop_step": [((a, -np.abs(d), np.zeros((3, 4)), 0.01), {}), ((a, d, np.abs(b), 0.01), {}),
                         ((a, d, np.abs(b), 0.01), {"decay": 0.9})],
        "adam_step": [((a, d, np.zeros((3, 4)), np.zeros((3, 4)), 1, 0.01), {}),
                      ((a, d, b, np.abs(b), 3, 0.01), {}),
                      ((a, 1e-5 * d, np.zeros((3, 4)), np.zeros((3, 4)), 1, 0.01), {}),  # eps placement shows
                      ((a, d, b, np.abs(b), 3, 0.01), {"beta1": 0.8, "beta2": 0.9})],
        "minibatch_indices": [((10, 3, 0), {}), ((7, 7, 2), {})],
        "train": [((_net_params(), Xn, yn, loss_and_grads),
                   {"optimizer": name, "lr": 0.01, "batch_size": 4, "epochs": 2, "seed": 0})
                  for name in ("sgd", "momentum", "adam")],
        "center": [((Xc,), {})],
        "standardize": [((Xc,), {})],
        "pca": [((Xp, 2), {})],
        "whiten": [((Xp,), {}), ((Xdeg,), {}), ((Xp * [1.0, 1.0, 1.0, 0.01],), {})],  # a low-variance direction
        "zca_whiten": [((Xp,), {})],
        "conv_output_size": [((5, 3), {"stride": 2, "pad": 1}), ((6, 3), {"stride": 2}), ((7, 3), {"pad": 1})],
        "conv_forward": [((xc, wc, r.standard_normal(4)), {"stride": 2, "pad": 1}),
                         ((xc2, wc2, r.standard_normal(3)), {})],
        "conv_backward": [((r.standard_normal((2, 4, 3, 3)), xc, wc, r.standard_normal(4)), {"stride": 2, "pad": 1}),
                          ((r.standard_normal((2, 3, 5, 4)), xc2, wc2, r.standard_normal(3)), {})],
        "max_pool_forward": [((ties,), {}), ((xo,), {"pool": 3, "stride": 1}), ((x46,), {})],
        "max_pool_backward": [((r.standard_normal((2, 2, 2, 2)), ties), {}),
                              ((r.standard_normal((1, 2, 3, 3)), xo), {"pool": 3, "stride": 1}),
                              ((r.standard_normal((1, 2, 2, 3)), x46), {})],
        "init_cnn": [(((1, 8, 8), 3, 3, 4), {"seed": 0})],
        "cnn_forward": [((_cnn_params(), imgs), {})],
        "cnn_loss_and_grads": [((_cnn_params(), imgs, labels), {"reg": 0.1})],
    }


def _homework_probes() -> dict:
    """Probe inputs a homework keeps in its own folder: ``PROBES`` of ``assignments/<hw>/bank/probes.py``
    (function name -> list of (args, kwargs)), for functions the probes above do not cover."""
    found = {}
    for hw in HOMEWORKS:
        path = ROOT / "assignments" / hw / "bank" / "probes.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location(f"bank_probes_{hw}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found.update(module.PROBES)
    return found


PROBES = {**_probes(), **_homework_probes()}


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


def _agree(name, got, want) -> bool:
    """Whether a result of API function ``name`` is as correct as the reference's."""
    if got[0] != want[0]:
        return False
    if got[0] == "raise":
        return got[1] is want[1]
    g, w = got[1], want[1]
    if name == "pca":  # component signs are free: Z's columns flip with the components' rows
        return (_same(g[1], w[1], sign_free_axis=0) and _same(g[0], w[0], sign_free_axis=1)
                and _same(g[2], w[2]))
    if name == "whiten":
        return _same(g, w, sign_free_axis=1)
    return _same(g, w)


def _properties_hold(name, result, args, kwargs) -> bool:
    """RNG-dependent functions of a correct alternative: the specified properties, not the draws."""
    status, value = result
    if status != "ok":
        return False
    if name == "init_params":
        sizes = args[0]
        return all(value[f"W{l}"].shape == (sizes[l], sizes[l - 1]) and not value[f"b{l}"].any()
                   and abs(value[f"W{l}"].std() / np.sqrt(2.0 / sizes[l - 1]) - 1) < 0.5
                   for l in range(1, len(sizes))) and len(value) == 2 * (len(sizes) - 1)
    if name == "init_cnn":
        (C, H, W), F, k, classes = args
        hidden = F * (H // 2) * (W // 2)
        shapes = {"W1": (F, C, k, k), "b1": (F,), "W2": (classes, hidden), "b2": (classes,)}
        return ({key: v.shape for key, v in value.items()} == shapes and not value["b1"].any()
                and not value["b2"].any()
                and abs(value["W1"].std() / np.sqrt(2.0 / (C * k * k)) - 1) < 0.5
                and abs(value["W2"].std() / np.sqrt(2.0 / hidden) - 1) < 0.5)
    if name == "minibatch_indices":
        n, size = args[0], args[1]
        lengths = [len(idx) for idx in value]
        return (sorted(np.concatenate(value).tolist()) == list(range(n))
                and lengths == [size] * (n // size) + ([n % size] if n % size else []))
    raise AssertionError(f"no property check for {name}")


RNG_FUNCTIONS = {"init_params", "minibatch_indices", "init_cnn"}
BUGGY = [e for e in ENTRIES if e.is_mutant]
CORRECT = [e for e in ENTRIES if e.kind == "correct"]


@pytest.mark.parametrize("entry", BUGGY, ids=_ids(BUGGY))
def test_buggy_entry_differs_from_reference(entry, tmp_path):
    mutant = _load(entry, tmp_path)
    reference = importlib.import_module(f"nnkit.{entry.module}")
    differs = []
    for name in entry.api_functions:
        assert name in PROBES, f"no probe inputs for {name}: add some to _probes()"
        for args, kwargs in PROBES[name]:
            want = _call(getattr(reference, name), args, kwargs)
            assert want[0] == "ok" or name == "conv_output_size", f"probe of {name} is invalid for the reference"
            if not _agree(name, _call(getattr(mutant, name), args, kwargs), want):
                differs.append(name)
    assert differs, f"{entry.key} ({entry.doc}) agrees with the reference on every probe"


@pytest.mark.parametrize("entry", CORRECT, ids=_ids(CORRECT))
def test_correct_entry_agrees_with_reference(entry, tmp_path):
    alternative = _load(entry, tmp_path)
    reference = importlib.import_module(f"nnkit.{entry.module}")
    for name in entry.api_functions:
        assert name in PROBES, f"no probe inputs for {name}: add some to _probes()"
        assert inspect.signature(getattr(alternative, name)) == inspect.signature(getattr(reference, name))
        for args, kwargs in PROBES[name]:
            got = _call(getattr(alternative, name), args, kwargs)
            if name in RNG_FUNCTIONS:
                assert _properties_hold(name, got, args, kwargs), f"{entry.key}: {name} breaks its spec"
            else:
                want = _call(getattr(reference, name), args, kwargs)
                assert _agree(name, got, want), f"{entry.key}: {name}{args and ''} differs from the reference"


def test_comparison_helpers_can_fail():
    """The probes' comparisons are not vacuous: a sign flip is caught except where signs are free."""
    a = np.arange(6.0).reshape(2, 3) + 1
    assert not _same(a, -a) and _same(a, a * [[1], [-1]], sign_free_axis=0)
    assert not _same(np.array([np.nan]), np.array([np.nan]))
    assert not _agree("l2_loss", ("ok", (1.0, a)), ("raise", ValueError))
    assert not _properties_hold("minibatch_indices", ("ok", [np.arange(3)]), (4, 3, 0), {})
