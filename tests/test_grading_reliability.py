"""Scores never depend on load; infrastructure faults never cost a point (issue 13).

- A question's budget counts the submission's own time (CPU, or sleeping),
  so a busy machine does not turn a correct answer into a timeout; the
  load here is made by busy processes this test starts (bounded, killed in
  a ``finally``). Assertions are on outcomes, never on wall-clock times.
- A worker killed from outside (SIGKILL by someone else) is retried; killed
  twice, the call is an infrastructure fault recorded for its question.
- The submission cannot send such signals itself (seccomp), and the
  kernel's SIGKILL at RLIMIT_CPU is its own doing: neither is retried.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import numpy as np
import pytest

from autograder.grading import GRADER_PROBLEM_TAG, grade
from autograder.grading.client import StudentCallFailed, WorkerClient
from autograder.grading.config import GradingConfig
from autograder.repo import homework_from_repo
from autograder.sandbox import Limits

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the seccomp signal filter is tested as root, as CI runs")

GATES = '''
import ctypes
import os
import shutil
import signal
import time


def add_forward(x, y):
    return x + y


def burn(seconds):
    """Busy-loop until this process has used ``seconds`` of CPU."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return 1.0


def nap(seconds):
    time.sleep(seconds)
    return 1.0


def kill_self(sig):
    os.kill(os.getpid(), sig)
    return 1.0


def segfault():
    return ctypes.string_at(0)
'''


@pytest.fixture
def sub(tmp_path):
    (tmp_path / "nnkit").mkdir()
    (tmp_path / "nnkit" / "__init__.py").write_text("")
    (tmp_path / "nnkit" / "gates.py").write_text(GATES)
    return tmp_path


@contextmanager
def busy_machine(factor: int = 4):
    """``factor`` x the cores of busy processes (each ends by itself after 120 s), killed on exit."""
    hog = "import time\nend = time.monotonic() + 120\nwhile time.monotonic() < end:\n    pass\n"
    procs = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(factor * (os.cpu_count() or 1))]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def kill_workers(client: WorkerClient, times: int, after: float = 0.3) -> threading.Thread:
    """A thread that SIGKILLs ``times`` successive workers of ``client``, each ``after`` s into its life."""
    def run():
        killed = set()
        end = time.monotonic() + 60
        while len(killed) < times and time.monotonic() < end:
            proc = client.proc
            if proc is not None and proc.pid not in killed:
                time.sleep(after)
                try:
                    os.kill(proc.pid, signal.SIGKILL)   # our own child: we are the "machine" here
                except ProcessLookupError:
                    pass
                killed.add(proc.pid)
            time.sleep(0.01)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_cpu_budget_is_not_spent_by_a_busy_machine(sub):
    with WorkerClient(sub) as client:
        client.start()
        client.call("gates.add_forward", 1.0, 2.0)   # worker up before the load starts
        with busy_machine():
            client.begin_question("1.1", 1.5)
            assert client.call("gates.burn", 0.6) == 1.0   # 0.6 s of CPU fits 1.5 s, however long it waits
            client.begin_question("1.2", 0.3)
            with pytest.raises(StudentCallFailed) as info:
                client.call("gates.burn", 0.6)             # the budget still binds
            assert info.value.kind == "timeout" and info.value.question_limit


def test_sleeping_is_charged_to_the_question(sub):
    with WorkerClient(sub) as client:
        client.begin_question("1.1", 0.5)
        with pytest.raises(StudentCallFailed) as info:
            client.call("gates.nap", 30.0)
        assert info.value.kind == "timeout"
        assert client._question.left() <= 0
        with pytest.raises(StudentCallFailed, match="time limit was used up"):
            client.call("gates.add_forward", 1.0, 2.0)


def test_an_external_kill_is_retried_and_costs_nothing(sub):
    with WorkerClient(sub) as client:
        client.start()
        client.begin_question("1.1", 10)
        killer = kill_workers(client, times=1)
        assert client.call("gates.nap", 1.0) == 1.0
        killer.join()
        assert client.retried == 1 and client.faults == {}


def test_killed_twice_is_a_grader_problem_of_its_question(sub):
    with WorkerClient(sub) as client:
        client.start()
        client.begin_question("1.3", 10)
        killer = kill_workers(client, times=2)
        with pytest.raises(StudentCallFailed) as info:
            client.call("gates.nap", 2.0)
        killer.join()
        assert info.value.kind == "infrastructure" and "not yours" in info.value.reason
        assert list(client.faults) == ["1.3"]
        client.begin_question("1.4", 10)
        assert client.call("gates.add_forward", 1.0, 2.0) == 3.0   # the next question is graded as usual


@needs_root
def test_the_submission_cannot_send_external_signals_and_its_crash_is_not_retried(sub):
    with WorkerClient(sub) as client:
        for sig in (signal.SIGKILL, signal.SIGTERM):
            with pytest.raises(StudentCallFailed) as info:
                client.call("gates.kill_self", int(sig))
            assert info.value.kind == "error" and "PermissionError" in info.value.reason
        with pytest.raises(StudentCallFailed) as info:
            client.call("gates.segfault")
        assert info.value.kind == "died" and "SIGSEGV" in info.value.reason
        assert client.retried == 0


def test_the_cpu_rlimit_kill_is_the_submissions_own(sub):
    config = GradingConfig(limits=Limits(cpu_seconds=2))
    with WorkerClient(sub, config=config) as client:
        with pytest.raises(StudentCallFailed) as info:
            client.call("gates.burn", 20.0, timeout=60)
        assert info.value.kind == "died" and client.retried == 0


def _worker_pids() -> list[int]:
    """Pids of this process's worker children (``worker.py`` in their command line)."""
    me, found = os.getpid(), []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me and b"worker.py" in cmdline:
            found.append(int(pid))
    return found


def grade_while_killing(delays: tuple[float, ...]):
    """Grade the hw1 reference while SIGKILLing its first workers, the k-th ``delays[k]`` s after it appears.

    A delay of 0 kills the worker that a retry has just started, so within the same call.
    """
    homework, reference = homework_from_repo("hw1_backprop")
    done = threading.Event()

    def killer():
        killed: set[int] = set()
        end = time.monotonic() + 60
        while not done.is_set() and len(killed) < len(delays) and time.monotonic() < end:
            for pid in _worker_pids():
                if pid not in killed:
                    time.sleep(delays[len(killed)])
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                    break
            time.sleep(0.01)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        return grade(reference, homework, reference)
    finally:
        done.set()
        thread.join()


def test_an_external_kill_during_grading_costs_no_point():
    """The reference, graded while someone SIGKILLs its worker once, keeps full marks."""
    grading = grade_while_killing((0.2,))
    tests = grading.results["tests"]
    assert tests and all(t["score"] == t["max_score"] for t in tests), \
        [t["output"][:200] for t in tests if t["score"] < t["max_score"]]
    assert not any(GRADER_PROBLEM_TAG in t["tags"] for t in tests) and not grading.grader_problems


def test_killed_twice_during_grading_is_marked_a_grader_problem_never_silently_lowered():
    grading = grade_while_killing((0.2, 0.0))   # the retry's worker too: twice in one call
    tests = grading.results["tests"]
    marked = [t for t in tests if GRADER_PROBLEM_TAG in t["tags"]]
    assert marked and set(grading.grader_problems) == {t["number"] for t in marked}
    assert all(t["output"].startswith("GRADER PROBLEM (not your fault)") for t in marked)
    assert "grader problem" in grading.results["output"]
    unmarked = [t for t in tests if GRADER_PROBLEM_TAG not in t["tags"]]
    assert all(t["score"] == t["max_score"] for t in unmarked)   # every lost point is flagged


@pytest.mark.slow
def test_naive_loop_alternatives_get_their_quiet_score_on_a_busy_machine(tmp_path):
    """hw1's naive-loop correct alternatives (bank/correct): the same results quiet and 4x oversubscribed."""
    from autograder.instructor.bank import build_submission, load_bank

    from autograder.release.manifest import read_manifest

    full, reference = homework_from_repo("hw1_backprop")
    naive = [e for e in load_bank("hw1_backprop", "correct") if "loop" in e.name or "naive" in e.name]
    assert naive, "no naive-loop alternative in hw1's bank"
    homework = {}
    for entry in naive:
        build_submission(entry, tmp_path / entry.name)
        # only the questions grading the entry's module: the others would repeat the reference's timing
        numbers = {q["number"] for q in read_manifest(reference.parent, "hw1_backprop").questions
                   if any(f.startswith(entry.module + ".") for f in q["functions"])}
        homework[entry.name] = tmp_path / f"homework-{entry.name}"
        shutil.copytree(full, homework[entry.name])
        for test in (homework[entry.name] / "hidden_tests").glob("test_q*.py"):
            if ".".join(test.name.split("_")[1:3]).lstrip("q") not in numbers:
                test.unlink()
    quiet = {e.name: grade(tmp_path / e.name, homework[e.name], reference).results for e in naive}
    with busy_machine():
        loaded = {e.name: grade(tmp_path / e.name, homework[e.name], reference).results for e in naive}
    for entry in naive:
        scores = [[(t["number"], t["score"]) for t in r["tests"]] for r in (quiet[entry.name], loaded[entry.name])]
        assert scores[0] and scores[0] == scores[1], entry.name
        assert quiet[entry.name]["score"] == sum(t["max_score"] for t in quiet[entry.name]["tests"]), entry.name


def test_an_import_that_hangs_costs_one_import_budget_in_total(tmp_path):
    """Issue 12 item 7: a module sleeping forever at import is waited for once, not once per question."""
    from autograder.instructor.bank import write_reference

    homework, reference = homework_from_repo("hw1_backprop")
    package = write_reference(tmp_path / "sub", "hw1_backprop")
    with open(package / "gates.py", "a") as f:
        f.write("\n\nimport time as _time\n_time.sleep(10 ** 6)\n")
    results = grade(tmp_path / "sub", homework, reference, config=GradingConfig(import_timeout=1.0)).results
    gates = [t for t in results["tests"] if t["number"].startswith(("1.1.", "1.2."))]
    others = [t for t in results["tests"] if not t["number"].startswith(("1.1.", "1.2."))]
    assert gates and all(t["score"] < t["max_score"] and "did not finish in time" in t["output"] for t in gates)
    assert others and all(t["score"] == t["max_score"] for t in others)
    assert "restarted 1 time" in results["output"]   # one hung import, killed once; later questions knew


def test_grading_config_rejects_nonsense():
    with pytest.raises(ValueError, match="time_limit"):
        GradingConfig(time_limit=0)
    with pytest.raises(ValueError, match="retries"):
        GradingConfig(retries=-1)
    assert GradingConfig(max_time_limit=3).question_budget(60) == 3
    assert GradingConfig().question_budget(None) == GradingConfig().time_limit
    assert np.isclose(GradingConfig(wall_factor=2, wall_slack=1).backstop(3), 7)
