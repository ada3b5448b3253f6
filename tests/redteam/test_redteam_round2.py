"""Red team, round 2 (issue 12): the worker, the feedback and the clean-up.

One test (or a few) per finding handled here; each failed on the code before
the fix:

- finding 3, the worker holds no solution: the grader's softmax cross-entropy
  gradient and Adam are no longer in the worker's files (a submission that
  calls them earns nothing); ``train``'s ``loss_fn`` is a callback stub that
  carries neither code nor parameters, refuses a stale call, and is bounded
  by the call's time;
- finding 2, exception types: a class merely *named* ValueError is not one;
- findings 4–5, text injection: the submission's words reach results.json
  only inert (no control, ANSI, bidi, U+2028 or NUL character), quoted
  (``‹…›``, never at the start of a line), bounded per test, and every
  format field is "text";
- finding 6, clean-up: a 1500-level directory chain (and chmod 000 folders,
  a symlink loop, a FIFO, a socket) neither crashes the clean-up nor empties
  results.json, without namespaces too; a million-file tree is cut off at a
  time budget, logged and locked away;
- finding 7, parsing: a 60,000-character annotation is no grader error;
- finding 9, no namespaces: files in sub-folders of world-writable folders
  and /run/lock are found and removed; Landlock confines writes to the work
  dir and keeps abstract unix sockets and signals inside; no connect() to a
  host unix socket.

End-to-end cases are files of ``hostile/`` (hw1, also run by test_redteam.py)
and ``hostile/round2/`` (hw2, only here): definitions appended to a copy of
the reference module, graded with only the questions in ``KEEP`` (or LOSES).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.grading import grade_submission, trusted
from autograder.grading.client import WORKER_FILES, StudentCallFailed, WorkerClient, format_error
from autograder.worker import callables, protocol
from autograder.grading.results import QUOTED_BUDGET, build_results
from autograder.grading import results as results_json
from autograder.repo import homework_from_repo
from autograder.sandbox import Limits, Sandbox, capabilities, cleanup, worker_python

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HOSTILE = HERE / "hostile"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox user exists only when the grader is root")
NEEDS_LANDLOCK = pytest.mark.skipif(not capabilities().get("landlock"), reason="the kernel has no usable Landlock")


# -- grading a hostile case end to end --------------------------------------------

def _meta(text: str, key: str, default=None):
    match = re.search(rf"^{key} = (.+?)(?:\s+#.*)?$", text, re.M)
    return json.loads(match.group(1).replace("'", '"')) if match else default


def grade_case(path: Path, tmp: Path, mark: str = "r2") -> dict:
    """Grade the reference plus the case's override with only its questions; the results dict."""
    text = path.read_text().replace("@@MARK@@", mark)
    hw = _meta(text, "HW", "hw1_backprop")
    module = _meta(text, "MODULE")
    keep = _meta(text, "KEEP") or _meta(text, "LOSES") or []
    homework_src, reference = homework_from_repo(hw)
    homework = tmp / "homework"
    shutil.copytree(homework_src, homework)
    if keep:
        for test in (homework / "hidden_tests").glob("test_q*.py"):
            number = re.match(r"test_q(\d+)_(\d+)_", test.name)
            if number and f"{number.group(1)}.{number.group(2)}" not in keep:
                test.unlink()
    package = tmp / "submission" / "nnkit"
    package.mkdir(parents=True)
    for source in (reference / "nnkit").glob("*.py"):
        shutil.copy(source, package / source.name)
    with open(package / f"{module}.py", "a") as f:
        f.write("\n\n# ---- hostile override ----\n" + text)
    return grade_submission(tmp / "submission", homework, reference, tmp / "results" / "results.json")


def _question(results: dict, number: str) -> tuple[float, float]:
    tests = [t for t in results["tests"] if t["number"] == number or t["number"].startswith(number + ".")]
    return sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)


# -- finding 3: the worker holds no solution -------------------------------------------

def test_the_worker_files_define_no_grader_loss_or_update_rule():
    assert not hasattr(callables, "softmax_regression") and not hasattr(callables, "minibatch_train")
    assert not hasattr(callables, "PROCEDURES")
    names = set(trusted.FUNCTIONS) | set(trusted.PROCEDURES)
    for path in WORKER_FILES.values():
        text = path.read_text()
        defined = set(re.findall(r"^\s*def (\w+)", text, re.M))
        assert not defined & names, f"{path.name} defines {defined & names}"
        assert "0.999" not in text, f"{path.name} holds Adam's β2"


@pytest.mark.parametrize("case, question", [("steal_grader_softmax.py", "2.2"), ("steal_grader_adam.py", "2.5")])
def test_calling_the_grader_files_from_the_submission_earns_nothing(tmp_path, case, question):
    results = grade_case(HOSTILE / "round2" / case, tmp_path)
    stolen = [t for t in results["tests"] if t["number"].startswith(question + ".")]
    assert stolen, results["output"]
    # the functions that used the grader's code earn nothing; the others keep their marks
    target = "softmax_cross_entropy" if "softmax" in case else "adam_step"
    hit = [t for t in stolen if target in t["name"]]
    assert hit and all(t["score"] == 0 for t in hit), [(t["name"], t["score"], t["output"][:200]) for t in hit]


def test_the_f_of_numerical_jacobian_hides_its_formula(tmp_path):
    results = grade_case(HOSTILE / "steal_closure_jacobian.py", tmp_path)
    graded = [t for t in results["tests"] if t["number"] == "1.4.1"]
    assert graded and graded[0]["score"] == 0, graded


SUBMISSION = '''
import builtins
import numpy as np

KEPT = []


def train(params, X, y, loss_fn, **kw):
    return loss_fn(params, X, y)


def keep(loss_fn):
    KEPT.append(loss_fn)
    return 0


def use_kept(params, X, y):
    return KEPT[0](params, X, y)


def look_inside(loss_fn):
    """Everything the stub holds: its code's constants and its closure."""
    seen = [repr(c) for c in loss_fn.__code__.co_consts]
    for cell in loss_fn.__closure__ or ():
        seen.append(repr(cell.cell_contents))
    return " ".join(seen)


def flood(loss_fn, params, X, y):
    while True:
        loss_fn(params, X, y)


def bad_arguments(loss_fn):
    return loss_fn({"W": "nope"}, np.zeros((2, 2)), np.zeros(2, dtype=np.int64))


class ValueError(Exception):   # noqa: A001 — merely named ValueError
    pass


class RealSubclass(builtins.ValueError):
    pass


def raise_fake():
    raise ValueError("a fake")


def raise_subclass():
    raise RealSubclass("a real one")


def raise_oserror():
    raise OSError("disk full")
'''


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("callback-sub")
    (root / "nnkit").mkdir()
    (root / "nnkit" / "__init__.py").write_text("")
    (root / "nnkit" / "optim.py").write_text(SUBMISSION)
    with WorkerClient(root, Limits(cpu_seconds=60, address_space=1 << 30)) as c:
        yield c


REG = 0.0123
LOSS = protocol.FunctionRef("softmax_regression", {"reg": REG})
RNG = np.random.default_rng(0)
PARAMS = {"W": RNG.standard_normal((3, 4)), "b": RNG.standard_normal(3)}
X, Y = RNG.standard_normal((5, 4)), RNG.integers(0, 3, 5)


def test_a_grader_loss_fn_is_evaluated_by_callback(client):
    loss, grads = client.call("optim.train", PARAMS, X, Y, LOSS)
    want_loss, want = trusted.make_local("softmax_regression", {"reg": REG})(PARAMS, X, Y)
    assert loss == want_loss and set(grads) == {"W", "b"}
    assert np.array_equal(grads["W"], want["W"]) and np.array_equal(grads["b"], want["b"])


def test_the_stub_carries_neither_code_nor_parameters(client):
    seen = client.call("optim.look_inside", LOSS)
    assert "softmax" not in seen and str(REG) not in seen and "exp" not in seen


def test_a_stub_kept_from_an_earlier_call_is_refused(client):
    client.call("optim.keep", LOSS)
    with pytest.raises(StudentCallFailed, match="earlier call"):
        client.call("optim.use_kept", PARAMS, X, Y)


def test_bad_callback_arguments_are_the_callers_error(client):
    with pytest.raises(StudentCallFailed, match="GraderCallbackError"):
        client.call("optim.bad_arguments", LOSS)


def test_callbacks_are_bounded_by_the_calls_time(client):
    started = time.monotonic()
    with pytest.raises(StudentCallFailed) as info:
        client.call("optim.flood", LOSS, PARAMS, X, Y, timeout=1.0)
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < 20   # a generous bound: the call's own 1 s plus the restart


def test_trusted_answer_refuses_what_the_worker_cannot_ask_for():
    handlers = [trusted.make_local("softmax_regression", {})]
    ok = ({"op": "callback", "call": 7, "ref": 0}, [[PARAMS, X, Y], {}])
    assert trusted.answer(*ok, handlers, 7)[0]["ok"]
    assert "earlier call" in trusted.answer(*ok, handlers, 8)[0]["error"]
    assert "no grader function" in trusted.answer({"call": 7, "ref": 3}, ok[1], handlers, 7)[0]["error"]
    assert "malformed" in trusted.answer(ok[0], "junk", handlers, 7)[0]["error"]
    big = {"W": np.zeros((10, 3000)), "b": np.zeros(10)}
    reply, _ = trusted.answer(ok[0], [[big, np.zeros((1000, 3000)), np.zeros(1000, dtype=np.int64)], {}], handlers, 7)
    assert not reply["ok"] and "more work" in reply["error"]


# -- finding 2: exception types by identity ---------------------------------------------

def test_a_class_merely_named_value_error_is_not_one(client):
    with pytest.raises(StudentCallFailed) as fake:
        client.call("optim.raise_fake")
    assert "ValueError" not in fake.value.error_types
    assert "ValueError(Exception)" in str(fake.value)
    with pytest.raises(StudentCallFailed) as real:
        client.call("optim.raise_subclass")
    assert "ValueError" in real.value.error_types
    with pytest.raises(StudentCallFailed) as builtin:
        client.call("optim.raise_oserror")
    assert builtin.value.error_types[0] == "OSError" and "raised: OSError: ‹disk full›" in str(builtin.value)


# -- findings 4–5: text injection ------------------------------------------------------------

HOSTILE_TEXTS = ["\n✓ 1.1 All checks passed", "\x1b[32mPASSED\x1b[0m", "\u202egnissap", "a\u2028b\u2029c",
                 "nul\x00", "\ud800", "‹fake quote› end", "x" * 5000]


def _all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_strings(v)


def _assert_inert(results: dict) -> None:
    for text in _all_strings(results):
        bad = [ch for ch in text if not ch.isprintable() and ch != "\n"]
        assert not bad, f"non-printable {bad[:3]!r} in {text[:80]!r}"
    assert results["output_format"] == results["test_output_format"] == results["test_name_format"] == "text"
    for test in results["tests"]:
        assert test["output_format"] == test["name_format"] == "text"
        quoted = re.findall("‹([^‹›\n]*)›", test["output"])
        assert sum(len(q) for q in quoted) <= QUOTED_BUDGET + 2 * len(quoted)


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_a_hostile_message_is_quoted_inert_and_bounded(text):
    err = {"type": "ValueError", "builtins": ["ValueError", "Exception", "BaseException"], "message": text,
           "where": "gates.py\n✓ line 1"}
    shown = format_error(err)
    assert "\n" not in shown and shown.startswith("ValueError: ‹")
    assert "‹" not in shown[len("ValueError: ‹"):].split("›")[0]   # no early close of the quote
    outcome = results_json.TestOutcome("t", "1.1.1", 0.0, 1.0, output=f"✗ part (−1): gates.add_forward raised: {shown}\n" * 3)
    results = build_results([outcome], "modules taken from .py files: gates", 1.0)
    _assert_inert(results)
    assert all(not line.startswith("✓") for line in results["tests"][0]["output"].splitlines())


def test_forged_grader_lines_reach_results_json_only_quoted(tmp_path):
    results = grade_case(HOSTILE / "forge_text_injection.py", tmp_path)
    _assert_inert(results)
    score, max_score = _question(results, "1.1")
    assert max_score > 0 and score < max_score
    for test in results["tests"]:
        for line in test["output"].splitlines():
            # the student's words ("PASSED", "onerror", the fake ✓ lines) only inside ‹…›
            outside = re.sub("‹[^‹›\n]*›", "", line)
            assert "onerror" not in outside and "PASSED" not in outside and "All checks passed (5/5)" not in outside
            assert not (line.startswith("✓") and "All checks passed" in line), line


def test_a_notebook_name_reaches_the_top_level_output_quoted(tmp_path):
    homework, reference = homework_from_repo("hw1_backprop")
    sub = tmp_path / "sub"
    sub.mkdir()
    name = "✓ All checks passed \x1b[31m\u202e<img src=x onerror=y>.ipynb"
    (sub / name).write_text(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1"}]}))
    hw = tmp_path / "hw"
    shutil.copytree(homework, hw)
    for test in (hw / "hidden_tests").glob("test_q*.py"):
        if not test.name.startswith("test_q1_1_"):
            test.unlink()
    results = grade_submission(sub, hw, reference, tmp_path / "results.json")
    _assert_inert(results)
    assert "‹✓ All checks passed \\x1b[31m\\u202e<img src=x onerror=y>.ipynb›" in results["output"], results["output"]


# -- finding 7: parsing the submission is bounded --------------------------------------------

HUGE_ANNOTATION = '''
class _Annotation:
    def __repr__(self):
        return "-" * 60000 + "1"      # str(inspect.signature(f)) shows it; ast.parse of it ran out of memory


def add_forward(x: _Annotation(), y):
    return x + y
'''


def test_a_huge_signature_annotation_is_no_grader_error(tmp_path):
    from autograder.api_spec import signature_params

    assert signature_params("(x: " + "-" * 60000 + "1)") is None          # was MemoryError
    assert signature_params("(x: " + "a." * 30000 + "b)") is None         # was RecursionError
    path = tmp_path / "case.py"
    path.write_text('MODULE = "gates"\nKEEP = ["1.1"]\n' + HUGE_ANNOTATION)
    results = grade_case(path, tmp_path / "g")
    text = json.dumps(results)
    assert "grader error" not in text and "course staff" not in text, text[:500]
    assert _question(results, "1.1") == (15.0, 15.0), results["tests"][0]["output"][:300]


def test_a_module_too_deep_to_compile_is_the_submissions_failure(tmp_path):
    path = tmp_path / "case.py"
    path.write_text('MODULE = "gates"\nKEEP = ["1.1"]\n\nBOMB = ' + "-" * 60000 + "1\n")
    results = grade_case(path, tmp_path / "g")
    text = json.dumps(results)
    assert "grader error" not in text and "course staff" not in text, text[:500]
    assert "could not be imported" in text and _question(results, "1.1")[0] == 0


# -- finding 6: clean-up --------------------------------------------------------------------------

def _deep_chain(base: Path, levels: int, name: str = "d") -> None:
    base.mkdir()
    fd = os.open(base, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir(name, dir_fd=fd)
        nxt = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nxt
    open(f"/proc/self/fd/{fd}/leaf", "w").close()
    os.close(fd)


@pytest.fixture
def fast_dir(tmp_path):
    """A folder on tmpfs (/dev/shm) when there is one: rmdir on a loaded ext4 costs ~2 ms each."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    path = shm / f"nnkit-r2-{secrets.token_hex(4)}"
    path.mkdir()
    try:
        yield path
    finally:
        cleanup.remove_tree(path)


def test_remove_tree_survives_deep_locked_looping_special_trees(fast_dir):
    base = fast_dir / "t"
    _deep_chain(base, 1600, "n" * 100)           # deeper than the recursion limit, longer than PATH_MAX
    (base / "locked" / "inner").mkdir(parents=True)
    (base / "locked" / "inner" / "f").write_text("x")
    os.chmod(base / "locked" / "inner", 0)
    os.chmod(base / "locked", 0)
    os.symlink(base, base / "loop")
    os.symlink("/etc/passwd", base / "passwd")   # removed, never followed
    os.mkfifo(base / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(base / "sock"))
    report = cleanup.remove_tree(base)
    sock.close()
    assert report.complete, report
    assert not base.exists() and Path("/etc/passwd").exists()


def test_remove_tree_stops_at_its_budget_logs_and_locks_away(fast_dir, caplog):
    base = fast_dir / "many"
    base.mkdir()
    for i in range(3000):
        (base / str(i)).touch()
    report = cleanup.remove_tree(base, budget=0.0)
    assert not report.complete and "budget" in report.problem
    assert any("NOT fully removed" in r.getMessage() for r in caplog.records)
    if os.geteuid() == 0:
        assert base.stat().st_mode & 0o077 == 0 and base.stat().st_uid == 0
    assert cleanup.remove_tree(base).complete and not base.exists()


@ROOT_ONLY
@pytest.mark.slow   # ~3–5 s: 1500 rmdir calls on the host disk without namespaces
@pytest.mark.parametrize("namespaces", [True, False], ids=["namespaces", "no-namespaces"])
def test_a_deep_tree_in_the_work_dir_keeps_the_grade(tmp_path, monkeypatch, namespaces):
    if not namespaces:
        monkeypatch.setenv("NNKIT_SANDBOX_NO_NAMESPACES", "1")
    mark = "r2" + secrets.token_hex(4)
    results = grade_case(HOSTILE / "exhaust_deep_tree.py", tmp_path, mark)
    assert results["tests"], results["output"]
    assert "course staff" not in results["output"], results["output"]
    assert all(t["score"] == t["max_score"] for t in results["tests"]), [t["output"][:200] for t in results["tests"]]
    leftovers = [p for root in ("/tmp", "/var/lib/nnkit-scratch") for p in Path(root).glob(f"nnkit-sandbox-*/work/{mark}*")]
    assert leftovers == []


# -- finding 9: without namespaces ------------------------------------------------------------------

FAST = Limits(cpu_seconds=10, address_space=1 << 30)


def _run(box: Sandbox, code: str) -> str:
    """Run ``code`` in the sandbox; its stdout."""
    proc = box.spawn([worker_python(), "-I", "-c", code])
    out, _ = proc.communicate(timeout=30)
    return out.decode()


@ROOT_ONLY
def test_files_left_in_world_writable_subfolders_and_run_lock_are_removed(monkeypatch):
    monkeypatch.setenv("NNKIT_SANDBOX_NO_NAMESPACES", "1")
    mark = "r2" + secrets.token_hex(4)
    sub = Path("/tmp") / f"{mark}-shared"     # a root-owned, world-writable sub-folder (like /tmp/.X11-unix)
    sub.mkdir()
    os.chmod(sub, 0o1777)
    cleanup._WRITABLE = None                 # the layout changed: look again
    try:
        with Sandbox(FAST) as box:
            box.landlock = False             # without Landlock: files can land outside the work dir
            out = _run(box, f"""
import os
for d in ({str(sub)!r}, "/run/lock", "/var/tmp"):
    try:
        os.makedirs(os.path.join(d, {mark!r} + "-dir", "deeper"))
        open(os.path.join(d, {mark!r} + "-file"), "w").close()
        print("WROTE", d)
    except OSError as e:
        print("REFUSED", d, e.errno)
""")
        assert "WROTE " + str(sub) in out and "WROTE /run/lock" in out, out
        left = [p for d in (sub, Path("/run/lock"), Path("/var/tmp")) for p in d.glob(f"{mark}*")]
        assert left == []
    finally:
        shutil.rmtree(sub, ignore_errors=True)
        cleanup._WRITABLE = None


@ROOT_ONLY
@NEEDS_LANDLOCK
def test_landlock_confines_writes_sockets_and_signals_without_namespaces(monkeypatch):
    monkeypatch.setenv("NNKIT_SANDBOX_NO_NAMESPACES", "1")
    mark = "r2" + secrets.token_hex(4)
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0" + mark)
    abstract.listen(1)
    try:
        with Sandbox(FAST) as box:
            assert not box.namespaces and box.landlock
            out = _run(box, f"""
import os, socket
for path in ("/tmp/{mark}", "/run/lock/{mark}", "work-file"):
    try:
        open(path, "w").close(); print("WROTE", path)
    except OSError as e:
        print("REFUSED", path, e.errno)
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\\0{mark}"); print("CONNECTED abstract")
except OSError as e:
    print("REFUSED abstract", e.errno)
try:
    os.kill({os.getpid()}, 0); print("SIGNALLED grader")
except OSError as e:
    print("REFUSED signal", e.errno)
""")
            described = box.describe()
        assert "WROTE work-file" in out and "REFUSED /tmp" in out and "REFUSED /run/lock" in out, out
        assert "REFUSED abstract" in out and "REFUSED signal" in out, out
        assert "Landlock ABI" in described and "no namespaces" in described
    finally:
        abstract.close()
    assert not list(Path("/tmp").glob(f"{mark}*"))


@ROOT_ONLY
def test_no_connect_to_a_host_unix_socket_without_namespaces(monkeypatch, tmp_path):
    monkeypatch.setenv("NNKIT_SANDBOX_NO_NAMESPACES", "1")
    path = Path("/run") / f"nnkit-r2-{secrets.token_hex(4)}.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    os.chmod(path, 0o777)   # like a daemon's socket anybody may use (dbus)
    server.listen(1)
    try:
        with Sandbox(FAST) as box:
            out = _run(box, f"""
import socket
s = socket.socket(socket.AF_UNIX)
try:
    s.connect({str(path)!r}); print("CONNECTED")
except OSError as e:
    print("REFUSED", e.errno)
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    d.sendto(b"x", {str(path)!r}); print("SENT")
except OSError as e:
    print("REFUSED", e.errno)
""")
        assert out.split() == ["REFUSED", "13", "REFUSED", "13"], out
    finally:
        server.close()
        path.unlink()


def test_describe_says_what_held(monkeypatch):
    lines = {}
    for mode in ("", "1"):
        monkeypatch.setenv("NNKIT_SANDBOX_NO_NAMESPACES", mode)
        with Sandbox(FAST) as box:
            lines[mode] = box.describe()
    for text in lines.values():
        assert ("Landlock ABI" in text) == bool(capabilities().get("landlock"))
        assert "Landlock" in text
    print("\n".join(f"[{k or 'default'}] {v}" for k, v in lines.items()))


@NEEDS_LANDLOCK
def test_landlock_keeps_even_the_fallback_worker_out_of_results(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    with Sandbox(FAST, privilege_drop=False) as box:   # the non-root fallback: the grader's own user
        out = _run(box, f"""
try:
    open({str(results / "results.json")!r}, "w").write("{{}}"); print("WROTE")
except OSError as e:
    print("REFUSED", e.errno)
""")
        assert "write results/" not in box.describe()
    assert out.split() == ["REFUSED", "13"], out
    assert not (results / "results.json").exists()


def test_a_signature_is_shown_as_code_only_when_plain():
    assert protocol.quote_code("(dout, x, cache=None)") == "(dout, x, cache=None)"
    for hostile in ("(x: \n✓ 1.1 All checks passed)", "(x: \x1b[31m)", "(x: ‹›)", "(" + "x, " * 100 + ")"):
        shown = protocol.quote_code(hostile)
        assert shown.startswith("‹") and "\n" not in shown and "\x1b" not in shown
