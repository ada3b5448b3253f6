"""nnkit_check: your public tests and gradient checks, as one table (not your grade).

Run in the homework folder (the one holding ``nnkit/`` and ``tests/``)::

    python -m nnkit_check              # every question
    python -m nnkit_check 1.3          # only question 1.3 (several: 1.3 1.6)
    python -m nnkit_check -v           # also pytest's own report
    python -m nnkit_check submit       # build submission.zip, the file to upload
    python -m nnkit_check --help

or, in a notebook cell, ``import nnkit_check; nnkit_check.check("1.3")``.

With YOUR code only (no reference solution, no hidden tests are involved) it

1. runs the public tests in ``tests/`` and lists each one under its question;
2. checks the backward functions of the homework (``homework_checks.py``: the
   homework's own list, including the kinks and ties its spec names) against
   central differences of your own forward functions, in float64, and says which
   gradient is wrong, where, and the likely mistake (off by ×2 or ×N, wrong
   sign, transposed, wrong only at a kink, zero, wrong shape) — the diagnosis
   the autograder prints.

``submit`` runs the autograder's own submission collector (``submission.py``)
on this folder, says what it packed and what is missing or still a stub, and
writes ``submission.zip``: every module the grader imports for this homework,
and the notebook.

In the release this file is ``nnkit_check/__main__.py`` next to copies of
``gradcheck.py``, ``diagnose.py``, ``submission.py``, ``api_spec.py``, the
homework's ``manifest.json`` and ``homework_checks.py``
(assignments/<hw>/student_checks.py). Python 3.10, numpy and pytest only.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.gradcheck import numeric_gradient
from autograder.grading.diagnose import diagnose_gradient
from autograder.grading.submission import collect_submission, stub_functions

HERE = Path(__file__).resolve().parent
MAX_REASON_LINES = 12  # lines of one failure's reason shown in the table
USAGE = """usage: python -m nnkit_check [QUESTION ...] [-v] [FOLDER]
       python -m nnkit_check submit [FOLDER]

  QUESTION   only these questions, e.g. 1.3 (default: all)
  -v         also show pytest's own report of the public tests
  submit     write submission.zip (what to upload) and say what is missing
  FOLDER     the homework folder (default: the one holding nnkit/ here)

In a notebook: import nnkit_check; nnkit_check.check("1.3")
"""


@dataclass
class Row:
    """One line of the table: a public test or a gradient check of one question.

    - question: "1.3" ("" when unknown); function: the function it is about ("" when unknown)
    - check: the test's name, or "gradients vs numeric" (with the kink it is at)
    - passed: the verdict; reason: the whole failure message (several lines allowed)
    """

    question: str
    function: str
    check: str
    passed: bool
    reason: str = ""


# -- the homework: manifest and checks ---------------------------------------

def load_manifest() -> dict:
    """The homework's manifest.json shipped beside this file (empty in the repository)."""
    path = HERE / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _load_file(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gradient_checks() -> list[dict]:
    """The homework's gradient checks: ``homework_checks.py`` beside this file (the release),
    else every ``assignments/*/student_checks.py`` of the repository (``nnkit check``)."""
    shipped = HERE / "homework_checks.py"
    paths = [shipped] if shipped.is_file() else sorted(HERE.parents[1].glob("assignments/*/student_checks.py"))
    checks: list[dict] = []
    for i, path in enumerate(paths):
        checks += list(_load_file(path, f"_nnkit_homework_checks_{i}").GRADIENT_CHECKS)
    return checks


# -- where an error came from -------------------------------------------------

def _student_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    """Frames of ``exc``'s traceback that run a file of the student's ``nnkit/``."""
    return [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).parent.name == "nnkit"]


def explain_error(exc: BaseException, module: str, manifest: dict) -> str:
    """A failure reason for ``exc`` raised while checking a function of ``module``.

    A ``NotImplementedError`` raised in another module (a carried stub) names that
    function and file and where it comes from; otherwise the error and the student's line.
    """
    frames = _student_frames(exc)
    last = frames[-1] if frames else None
    if isinstance(exc, NotImplementedError):
        stub_module = Path(last.filename).stem if last else module
        if last and stub_module != module:
            origin = manifest.get("carried_origin", {}).get(stub_module, "an earlier homework")
            return (f"calls {last.name} in nnkit/{stub_module}.py (line {last.lineno}), which is still a stub: "
                    f"copy your own solution from {origin} into it (not graded here, but this homework uses it)")
        return f"not implemented yet ({last.name} in nnkit/{stub_module}.py line {last.lineno})" if last else \
            "not implemented yet"
    where = f" ({Path(last.filename).name} line {last.lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


# -- gradient checks ----------------------------------------------------------

def _call_backward(check: dict, backward, forward, args, kwargs, rng) -> list[str]:
    """Mode "backward": each gradient against central differences of ``forward``; reasons."""
    names = check["grads"]
    numeric_args = check["nudge"](args) if "nudge" in check else args
    out = forward(*args, **kwargs)
    dout = rng.standard_normal(np.shape(out))
    grads = backward(dout if np.ndim(out) else float(dout), *args, **kwargs)
    grads = grads if isinstance(grads, tuple) else (grads,)
    if len(grads) != len(names):
        return [f"expected {len(names)} gradients ({', '.join(names)}), got {len(grads)}"]
    batch = args[0].shape[0] if getattr(args[0], "ndim", 0) >= 2 else None
    kinks = check["kinks"](args) if "kinks" in check else None
    reasons = []
    for i, (grad, name) in enumerate(zip(grads, names)):
        def f(v, i=i):
            new = list(numeric_args)
            new[i] = v
            return forward(*new, **kwargs)
        mask = kinks if kinks is not None and np.shape(kinks) == np.shape(args[i]) else None
        d = diagnose_gradient(grad, numeric_gradient(f, numeric_args[i], dout), name, kinks=mask,
                              batch=batch, rtol=1e-5, atol=1e-7)
        if not d.ok:
            reasons.append(d.message)
    return reasons


def _call_loss(check: dict, forward, args, kwargs) -> list[str]:
    """Mode "loss": ``forward(*args) -> (loss, dL/dargs[0])`` against the numeric gradient."""
    _, grad = forward(*args, **kwargs)
    numeric = numeric_gradient(lambda v: forward(v, *args[1:], **kwargs)[0], args[0])
    batch = args[0].shape[0] if getattr(args[0], "ndim", 0) >= 2 else None
    d = diagnose_gradient(grad, numeric, check["grads"][0], batch=batch, rtol=1e-5, atol=1e-7)
    return [] if d.ok else [d.message]


def _call_params(forward, args, kwargs) -> list[str]:
    """Mode "params": ``forward(params, X, y) -> (loss, grads)``, each key of ``grads``."""
    params, rest = args[0], args[1:]
    _, grads = forward(params, *rest, **kwargs)
    if not isinstance(grads, dict):
        return [f"expected grads as a dict, got {type(grads).__name__}"]
    reasons = []
    for key in params:
        if key not in grads:
            reasons.append(f"grads has no key {key!r}")
            continue
        def f(v, key=key):
            return forward(dict(params, **{key: v}), *rest, **kwargs)[0]
        d = diagnose_gradient(grads[key], numeric_gradient(f, params[key]), key, batch=rest[0].shape[0],
                              rtol=1e-5, atol=1e-7)
        if not d.ok:
            reasons.append(d.message)
    return reasons


def gradient_row(check: dict, nnkit_dir: Path, manifest: dict) -> Row | None:
    """The row of one gradient check; None when its module is not in ``nnkit_dir``."""
    module_name, _, backward_name = check["function"].partition(".")
    forward_name = check["forward"].partition(".")[2]
    if not (nnkit_dir / f"{module_name}.py").exists():
        return None
    label = f"gradients vs numeric{', at ' + check['at'] if check.get('at') else ''}"
    row = Row(check["question"], backward_name, label, False)
    try:
        module = importlib.import_module(f"nnkit.{module_name}")
    except BaseException as exc:  # noqa: BLE001 — a syntax error is a row, not a crash
        row.reason = f"nnkit/{module_name}.py could not be imported: {explain_error(exc, module_name, manifest)}"
        return row
    backward, forward = getattr(module, backward_name, None), getattr(module, forward_name, None)
    if backward is None or forward is None:
        row.reason = f"nnkit/{module_name}.py lacks {backward_name} or {forward_name}"
        return row
    rng = np.random.default_rng(0)
    args, kwargs = check["inputs"](rng)
    try:
        with np.errstate(all="ignore"):
            if check["mode"] == "backward":
                reasons = _call_backward(check, backward, forward, args, kwargs, rng)
            elif check["mode"] == "loss":
                reasons = _call_loss(check, forward, args, kwargs)
            else:
                reasons = _call_params(forward, args, kwargs)
    except BaseException as exc:  # noqa: BLE001
        reasons = [explain_error(exc, module_name, manifest)]
    row.passed, row.reason = not reasons, "\n".join(reasons)
    return row


def gradient_rows(nnkit_dir: Path, manifest: dict, checks: list[dict]) -> list[Row]:
    """Rows of the gradient checks whose module is present in ``nnkit_dir``."""
    rows = [gradient_row(check, nnkit_dir, manifest) for check in checks]
    return [r for r in rows if r is not None]


# -- public tests -------------------------------------------------------------

def test_function(test_name: str, module: str, manifest: dict, checks: list[dict]) -> tuple[str, str]:
    """``(question, function)`` a public test is about, from its name and file's module.

    The longest function name of ``module`` (or its stem without ``_forward``/``_backward``)
    found in the test's name wins; else the module's first question.
    """
    functions: dict[str, str] = {}
    for q in manifest.get("questions", []):
        for qualified in q.get("functions", []):
            m, _, f = qualified.partition(".")
            if m == module:
                functions.setdefault(f, q["number"])
    for check in checks:
        m, _, f = check["function"].partition(".")
        if m == module:
            functions.setdefault(f, check["question"])
    text = test_name.lower()
    best = ("", "")
    for func, question in functions.items():
        for key in {func, func.rsplit("_", 1)[0] if func.endswith(("_forward", "_backward")) else func}:
            if key in text and len(key) > len(best[1]):
                best = (question, func if key == func else key)
    if best[0]:
        return best
    # no name inside the test's: the function sharing most words with it ("cross_entropies")
    words = {w[:5] for w in text.split("_") if len(w) >= 4}
    overlap = {f: len(words & {w[:5] for w in f.split("_") if len(w) >= 4}) for f in functions}
    func = max(functions, key=lambda f: overlap[f], default="")
    if func and overlap[func]:
        return functions[func], ""
    return next(iter(functions.values()), ""), ""


class _Collector:
    """pytest plugin: one Row per test, with the whole failure message."""

    def __init__(self, manifest: dict, checks: list[dict]):
        self.manifest, self.checks = manifest, checks
        self.rows: list[Row] = []
        self.stub_reasons: dict[str, str] = {}
        self.stub_functions: dict[str, str] = {}  # test -> the function of its module that is a stub

    def pytest_runtest_makereport(self, item, call):
        """Remember which stub raised NotImplementedError (pytest's report loses the frames)."""
        if call.excinfo is not None and call.excinfo.errisinstance(NotImplementedError):
            module = Path(str(item.fspath)).stem.replace("test_", "", 1)
            self.stub_reasons[item.nodeid] = explain_error(call.excinfo.value, module, self.manifest)
            frames = _student_frames(call.excinfo.value)
            if frames and Path(frames[-1].filename).stem == module:
                self.stub_functions[item.nodeid] = frames[-1].name

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or (report.when in ("setup", "collect") and report.outcome != "passed"):
            path, _, name = report.nodeid.partition("::")
            module = Path(path).stem.replace("test_", "", 1)
            question, function = test_function(self.stub_functions.get(report.nodeid) or name, module,
                                               self.manifest, self.checks)
            reason = ""
            if report.failed:
                reason = self.stub_reasons.get(report.nodeid) or failure_text(report)
            elif report.skipped:
                reason = "skipped"
            self.rows.append(Row(question, function, name or Path(path).name, report.passed, reason))

    def pytest_collectreport(self, report):
        if report.failed:  # a test file that does not import: every test in it is lost
            self.pytest_runtest_logreport(report)


def failure_text(report) -> str:
    """The whole assertion message of a failed test (pytest's ``E`` lines), without blanks."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    if text.startswith("NotImplementedError"):
        return "not implemented yet"
    text = text[len("Failed: "):] if text.startswith("Failed: ") else text  # pytest.fail's prefix
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines) if lines else "failed (no message)"


def public_test_rows(tests_dir: Path, manifest: dict, checks: list[dict], verbose: bool = False) -> list[Row]:
    """Rows of the public tests in ``tests_dir``; pytest's own output only when ``verbose``."""
    try:
        import pytest
    except ImportError:
        return [Row("", "", "pytest", False, "pytest is not installed: python -m pip install pytest")]
    collector = _Collector(manifest, checks)
    args = ["-p", "no:cacheprovider", "--rootdir", str(tests_dir.parent), str(tests_dir)]
    if verbose:
        pytest.main(["-v", "--tb=short"] + args, plugins=[collector])
    else:
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            pytest.main(["-q", "--tb=no", "--no-header"] + args, plugins=[collector])
    return collector.rows


# -- the table ----------------------------------------------------------------

def _order(manifest: dict):
    numbers = [q["number"] for q in manifest.get("questions", [])]
    return lambda row: (numbers.index(row.question) if row.question in numbers else len(numbers), row.question)


def first_line(rows: list[Row]) -> str:
    """Where to start: the first failing row, or that everything passes."""
    failed = [r for r in rows if not r.passed]
    if not failed:
        return f"all {len(rows)} checks pass (the autograder runs more tests)"
    # in the first failing question, a gradient check's diagnosis before a test's message
    first = [r for r in failed if r.question == failed[0].question]
    r = next((r for r in first if r.check.startswith("gradients") and not r.reason.startswith("not implemented")),
             first[0])
    what = " ".join(x for x in (r.question, r.function or r.check) if x)
    informative = [ln.strip() for ln in r.reason.splitlines() if not re.fullmatch(r"\w+(Error|Exception):?", ln.strip())]
    return f"start with {what}: {informative[0] if informative else r.check}"


def format_table(rows: list[Row], width: int = 100) -> str:
    """The first line, then ``question | function | check | status`` with each failure's whole
    reason indented on the lines below it, then the count."""
    lines = [first_line(rows), "", f"{'question':<9}{'function':<24}{'check':<52}status", "-" * width]
    for row in rows:
        lines.append(f"{row.question:<9}{row.function:<24}{row.check:<52}{'ok' if row.passed else 'FAIL'}")
        if not row.passed and row.reason:
            reason = row.reason.splitlines()
            shown = reason[:MAX_REASON_LINES] + ([f"... ({len(reason) - MAX_REASON_LINES} more lines: -v shows them)"]
                                                 if len(reason) > MAX_REASON_LINES else [])
            lines += [f"{'':<9}{ln}" for ln in shown]
    passed = sum(1 for r in rows if r.passed)
    lines.append("-" * width)
    lines.append(f"{passed} of {len(rows)} checks pass. This is feedback, not your grade: "
                 "the autograder runs more tests.")
    return "\n".join(lines)


# -- submit -------------------------------------------------------------------

SUBMISSION_ZIP = "submission.zip"


def submit(folder: Path, manifest: dict) -> int:
    """Write ``folder/submission.zip`` with the grader's own collector; 1 when a module is missing.

    Packs ``nnkit/<module>.py`` for every module of the homework (graded and carried)
    found by the collector, and the notebook; prints what was packed, what is missing
    and which functions are still stubs.
    """
    if not manifest:
        print("nnkit_check submit: no manifest.json in nnkit_check/ (use the student release)", file=sys.stderr)
        return 2
    target = folder / SUBMISSION_ZIP
    if target.exists():
        target.unlink()  # never collect the previous submission.zip
    wanted = list(manifest.get("modules", [])) + list(manifest.get("carried", []))
    with tempfile.TemporaryDirectory(prefix="nnkit-submit-") as tmp:
        homework = Path(tmp) / "homework"
        homework.mkdir()
        (homework / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        staged, notes = collect_submission(folder, Path(tmp) / "staged", homework)
        packed: dict[str, bytes] = {}
        for module in wanted:
            path = staged / "nnkit" / f"{module}.py"
            source = folder / "nnkit" / f"{module}.py"
            if path.is_file() and source.is_file() and path.read_bytes() == source.read_bytes():
                packed[f"nnkit/{module}.py"] = source.read_bytes()
    notebook = folder / manifest.get("notebook", "")
    if manifest.get("notebook") and notebook.is_file():
        packed[notebook.name] = notebook.read_bytes()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(packed.items()):
            zf.writestr(name, data)
    print(f"wrote {target} — upload this file to Gradescope. It holds:")
    for name in sorted(packed):
        stubs = stub_functions(packed[name].decode("utf-8", errors="replace")) if name.endswith(".py") else []
        print(f"  {name}" + (f"   still a stub: {', '.join(stubs)}" if stubs else ""))
    missing = [n for n in notes if n.startswith("missing: ")]
    for note in notes:
        if note.startswith(("missing: ", "nnkit/")) or "could not" in note or "ignored" in note:
            print(note)
    if missing:
        print(f"{len(missing)} module(s) missing: the autograder cannot grade what needs them.")
        return 1
    return 0


# -- command line and notebooks ---------------------------------------------------

def default_folder() -> Path:
    """The working directory when it holds ``nnkit/``, else the folder holding ``nnkit_check/``."""
    cwd = Path.cwd()
    return cwd if (cwd / "nnkit").is_dir() else HERE.parent


def run_checks(folder: Path, questions: list[str], verbose: bool) -> int:
    """Print the table of ``folder`` (only ``questions`` when given); 0 when every row passes."""
    manifest, checks = load_manifest(), load_gradient_checks()
    sys.path.insert(0, str(folder))
    for name in [n for n in sys.modules if n == "nnkit" or n.startswith("nnkit.")]:
        del sys.modules[name]  # this folder's nnkit, not one imported before
    rows = []
    if (folder / "tests").is_dir():
        rows += public_test_rows(folder / "tests", manifest, checks, verbose)
    rows += gradient_rows(folder / "nnkit", manifest, checks)
    if questions:
        rows = [r for r in rows if r.question in questions]
        if not rows:
            print(f"nnkit_check: no checks of question {', '.join(questions)}", file=sys.stderr)
            return 2
    rows.sort(key=_order(manifest))
    print(format_table(rows))
    return 0 if all(r.passed for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m nnkit_check [QUESTION ...] [-v] [submit] [FOLDER]``; the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0
    verbose = any(a in ("-v", "--verbose") for a in argv)
    words = [a for a in argv if a not in ("-v", "--verbose")]
    unknown = [a for a in words if a.startswith("-")]
    if unknown:
        print(f"nnkit_check: unknown option {unknown[0]}\n\n{USAGE}", file=sys.stderr)
        return 2
    command = "submit" if words[:1] == ["submit"] else "check"
    words = words[1:] if command == "submit" else words
    questions = [w for w in words if w[:1].isdigit() and not Path(w).is_dir()]
    folders = [w for w in words if w not in questions]
    folder = Path(folders[0]).resolve() if folders else default_folder()
    if not (folder / "nnkit").is_dir():
        print(f"nnkit_check: no nnkit/ folder in {folder}; run it in the homework folder", file=sys.stderr)
        return 2
    if command == "submit":
        return submit(folder, load_manifest())
    return run_checks(folder, questions, verbose)


def check(*questions: str, verbose: bool = False) -> int:
    """For a notebook cell: ``nnkit_check.check("1.3")`` prints the table of those questions.

    Runs in a fresh Python process, so that it sees the files of ``nnkit/`` as they are
    now (not the modules the notebook imported earlier). Returns the exit status.
    """
    package = HERE.name
    argv = [sys.executable, "-m", package, *questions] + (["-v"] if verbose else [])
    done = subprocess.run(argv, cwd=HERE.parent, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(HERE.parent)))
    print(done.stdout + done.stderr, end="")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
