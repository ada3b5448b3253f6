"""nnkit_check: your public tests and gradient checks, as one table (not your grade).

Run in the homework folder (the one holding ``nnkit/`` and ``tests/``)::

    python -m nnkit_check            # or: python -m nnkit_check path/to/hw

It does two things with YOUR code only (no reference solution, no hidden
tests are involved):

1. runs the public tests in ``tests/`` with pytest and lists each one;
2. checks every backward function it finds in ``nnkit/`` against central
   differences of your own forward function, in float64, and when they
   disagree says which gradient, the worst entry and the likely mistake
   (off by ×2 or ×N, wrong sign, transposed, wrong only at a kink, zero,
   wrong shape) — the same diagnosis the autograder prints.

In the release this file is ``nnkit_check/__main__.py`` next to copies of
``gradcheck.py`` and ``diagnose.py``. Python 3.10, numpy and pytest only.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import numpy as np

from autograder.gradcheck import numeric_gradient
from autograder.grading.diagnose import diagnose_gradient


# -- what to check ---------------------------------------------------------
# (module, backward, forward, inputs(rng) -> (args, kwargs), gradient names, mode)
#   mode "backward": backward(dout, *args, **kw) -> one gradient per arg; forward(*args, **kw) -> out
#   mode "loss":     forward(*args) -> (loss, dL/dargs[0]); the gradient is checked against the loss
#   mode "params":   forward(params, X, y, reg=...) -> (loss, grads dict)

def _away_from_zero(rng, shape):
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


def _distinct(rng, shape):
    """Values at least 1e-3 apart: no ties, so max/pool gradients are well defined."""
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(np.float64) / n * 4 - 2 + rng.uniform(0, 1e-4, n)).reshape(shape)


def _net_params(rng, sizes):
    p = {}
    for i in range(1, len(sizes)):
        p[f"W{i}"] = rng.standard_normal((sizes[i], sizes[i - 1])) * 0.7
        p[f"b{i}"] = rng.standard_normal(sizes[i]) * 0.3
    return p


def _cnn_params(rng):
    return {"W1": rng.standard_normal((2, 1, 3, 3)) * 0.5, "b1": rng.standard_normal(2) * 0.2,
            "W2": rng.standard_normal((3, 2 * 2 * 2)) * 0.3, "b2": rng.standard_normal(3) * 0.2}


def _bias_first(x):
    x = np.array(x)
    x[..., 0] = 1.0
    return x


CHECKS = [
    ("gates", "add_backward", "add_forward", lambda r: ((r.standard_normal((3, 4)), r.standard_normal((3, 4))), {}), ("dx", "dy"), "backward"),
    ("gates", "mul_backward", "mul_forward", lambda r: ((r.standard_normal((3, 4)), r.standard_normal((3, 4))), {}), ("dx", "dy"), "backward"),
    ("gates", "max_backward", "max_forward", lambda r: ((_distinct(r, (3, 4)), _distinct(r, (3, 4)) + 1e-3), {}), ("dx", "dy"), "backward"),
    ("gates", "neuron_backward", "neuron_forward", lambda r: ((_bias_first(r.standard_normal((4, 3))), r.standard_normal(3)), {}), ("dx", "dw"), "backward"),
    ("activations", "sigmoid_backward", "sigmoid_forward", lambda r: ((r.standard_normal((3, 4)),), {}), ("dx",), "backward"),
    ("activations", "tanh_backward", "tanh_forward", lambda r: ((r.standard_normal((3, 4)),), {}), ("dx",), "backward"),
    ("activations", "relu_backward", "relu_forward", lambda r: ((_away_from_zero(r, (3, 4)),), {}), ("dx",), "backward"),
    ("activations", "leaky_relu_backward", "leaky_relu_forward", lambda r: ((_away_from_zero(r, (3, 4)),), {"alpha": 0.1}), ("dx",), "backward"),
    ("jacobians", "linear_l2_backward", "linear_l2_forward", lambda r: ((r.standard_normal((3, 2)), r.standard_normal(2)), {}), ("dW", "dx"), "backward"),
    ("layers", "linear_backward", "linear_forward", lambda r: ((r.standard_normal((4, 3)), r.standard_normal((2, 3)), r.standard_normal(2)), {}), ("dx", "dW", "db"), "backward"),
    ("losses", "l2_loss", "l2_loss", lambda r: ((r.standard_normal((4, 3)), r.standard_normal((4, 3))), {}), ("dpred",), "loss"),
    ("losses", "hinge_loss", "hinge_loss", lambda r: ((_away_from_zero(r, (5,)) * 3, np.array([1, -1, 1, -1, 1])), {}), ("dscores",), "loss"),
    ("losses", "svm_loss", "svm_loss", lambda r: ((_distinct(r, (4, 3)) * 3, np.array([0, 2, 1, 2])), {}), ("dscores",), "loss"),
    ("losses", "binary_cross_entropy", "binary_cross_entropy", lambda r: ((r.standard_normal(5), np.array([1, 0, 1, 1, 0])), {}), ("dlogits",), "loss"),
    ("losses", "softmax_cross_entropy", "softmax_cross_entropy", lambda r: ((r.standard_normal((4, 3)), np.array([0, 2, 1, 2])), {}), ("dscores",), "loss"),
    ("losses", "l2_regularization", "l2_regularization", lambda r: ((r.standard_normal((3, 2)), 0.1), {}), ("dW",), "loss"),
    ("network", "loss_and_grads", "loss_and_grads", lambda r: ((_net_params(r, [4, 5, 3]), r.standard_normal((6, 4)), r.integers(0, 3, 6)), {"reg": 0.1}), (), "params"),
    ("conv", "conv_backward", "conv_forward", lambda r: ((r.standard_normal((2, 2, 4, 4)), r.standard_normal((3, 2, 3, 3)), r.standard_normal(3)), {"stride": 1, "pad": 1}), ("dx", "dw", "db"), "backward"),
    ("conv", "max_pool_backward", "max_pool_forward", lambda r: ((_distinct(r, (2, 2, 4, 4)),), {}), ("dx",), "backward"),
    ("conv", "cnn_loss_and_grads", "cnn_loss_and_grads", lambda r: ((_cnn_params(r), r.standard_normal((3, 1, 4, 4)), np.array([0, 2, 1])), {"reg": 0.05}), (), "params"),
]


def _short(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return "not implemented yet"
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        if "nnkit" in tb.tb_frame.f_code.co_filename and "nnkit_check" not in tb.tb_frame.f_code.co_filename:
            where = f" ({Path(tb.tb_frame.f_code.co_filename).name} line {tb.tb_lineno})"
        tb = tb.tb_next
    return f"{type(exc).__name__}: {str(exc)[:200]}{where}"


def gradient_rows(nnkit_dir: Path) -> list[tuple[str, str, bool, str]]:
    """Rows ``(module, check, passed, reason)`` of the gradient checks of the modules present."""
    rows = []
    for module_name, backward_name, forward_name, make, names, mode in CHECKS:
        if not (nnkit_dir / f"{module_name}.py").exists():
            continue
        label = f"{backward_name}: gradients vs numeric"
        try:
            module = importlib.import_module(f"nnkit.{module_name}")
        except BaseException as exc:  # noqa: BLE001 — a syntax error is a row, not a crash
            rows.append((module_name, f"import nnkit.{module_name}", False, _short(exc)))
            continue
        backward, forward = getattr(module, backward_name, None), getattr(module, forward_name, None)
        if backward is None or forward is None:
            rows.append((module_name, label, False, f"{module_name}.py lacks {backward_name} or {forward_name}"))
            continue
        rng = np.random.default_rng(0)
        args, kwargs = make(rng)
        try:
            with np.errstate(all="ignore"):
                reasons = _check_one(backward, forward, args, kwargs, names, mode, rng)
        except BaseException as exc:  # noqa: BLE001
            reasons = [_short(exc)]
        rows.append((module_name, label, not reasons, "; ".join(reasons)))
    return rows


def _check_one(backward, forward, args, kwargs, names, mode, rng) -> list[str]:
    batch = args[1].shape[0] if mode == "params" else (args[0].shape[0] if getattr(args[0], "ndim", 0) >= 2 else None)
    if mode == "backward":
        out = forward(*args, **kwargs)
        dout = rng.standard_normal(np.shape(out))
        grads = backward(dout if np.ndim(out) else float(dout), *args, **kwargs)
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != len(names):
            return [f"expected {len(names)} gradients ({', '.join(names)}), got {len(grads)}"]
        reasons = []
        for i, (grad, name) in enumerate(zip(grads, names)):
            def f(v, i=i):
                new = list(args)
                new[i] = v
                return forward(*new, **kwargs)
            d = diagnose_gradient(grad, numeric_gradient(f, args[i], dout), name, batch=batch, rtol=1e-5, atol=1e-7)
            if not d.ok:
                reasons.append(d.message)
        return reasons
    if mode == "loss":
        loss, grad = forward(*args, **kwargs)
        numeric = numeric_gradient(lambda v: forward(v, *args[1:], **kwargs)[0], args[0])
        d = diagnose_gradient(grad, numeric, names[0], batch=batch, rtol=1e-5, atol=1e-7)
        return [] if d.ok else [d.message]
    params, rest = args[0], args[1:]
    loss, grads = forward(params, *rest, **kwargs)
    if not isinstance(grads, dict):
        return [f"expected grads as a dict, got {type(grads).__name__}"]
    reasons = []
    for key in params:
        def f(v, key=key):
            return forward(dict(params, **{key: v}), *rest, **kwargs)[0]
        if key not in grads:
            reasons.append(f"grads has no key {key!r}")
            continue
        d = diagnose_gradient(grads[key], numeric_gradient(f, params[key]), key, batch=batch, rtol=1e-5, atol=1e-7)
        if not d.ok:
            reasons.append(d.message)
    return reasons


# -- public tests ----------------------------------------------------------

class _Collector:
    """pytest plugin: one row per test, with the assertion message of a failure."""

    def __init__(self):
        self.rows: list[tuple[str, str, bool, str]] = []

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            path, _, name = report.nodeid.partition("::")
            module = Path(path).stem.replace("test_", "", 1)
            reason = ""
            if report.failed:
                crash = getattr(report.longrepr, "reprcrash", None)
                reason = (crash.message if crash else str(report.longrepr)).strip().splitlines()[0][:300]
            elif report.skipped:
                reason = "skipped"
            self.rows.append((module, name, report.passed, reason))


def public_test_rows(tests_dir: Path) -> list[tuple[str, str, bool, str]]:
    try:
        import pytest
    except ImportError:
        return [("tests", "pytest", False, "pytest is not installed: pip install pytest")]
    collector = _Collector()
    pytest.main(["-q", "--tb=no", "-p", "no:cacheprovider", "--no-header",
                 str(tests_dir)], plugins=[collector])
    return collector.rows


# -- the table -------------------------------------------------------------

def format_table(rows: list[tuple[str, str, bool, str]], width: int = 100) -> str:
    """``module | check | result | reason``, failures with their reason."""
    lines = [f"{'module':<12} {'check':<44} {'result':<6} reason", "-" * width]
    for module, check, passed, reason in rows:
        lines.append(f"{module:<12} {check[:44]:<44} {'ok' if passed else 'FAIL':<6} {reason}")
    passed = sum(1 for r in rows if r[2])
    lines.append("-" * width)
    lines.append(f"{passed} of {len(rows)} checks pass. This is feedback, not your grade: "
                 "the autograder runs more tests.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0] if argv else os.getcwd()).resolve()
    if not (folder / "nnkit").is_dir():
        print(f"nnkit_check: no nnkit/ folder in {folder}; run it in the homework folder", file=sys.stderr)
        return 2
    sys.path.insert(0, str(folder))
    for name in [n for n in sys.modules if n == "nnkit" or n.startswith("nnkit.")]:
        del sys.modules[name]  # this folder's nnkit, not one imported before
    rows = []
    if (folder / "tests").is_dir():
        rows += public_test_rows(folder / "tests")
    rows += gradient_rows(folder / "nnkit")
    print()
    print(format_table(rows))
    return 0 if all(r[2] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
