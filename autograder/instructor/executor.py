"""Grade many submissions in parallel, resumably, in long-lived grading processes.

Used by ``nnkit regrade`` (a class) and ``nnkit audit`` (the bank). A pool
of ``jobs`` threads each drives one long-lived grading process
(``python -m autograder.instructor.grade_one``, its own session): the grading
engine's own work (reference outputs, comparisons) is numpy in that process,
so processes, not threads, run in parallel; the threads only wait. Keeping the
process pays the engine's start-up once, not per submission. A submission
that hangs past ``timeout`` gets its process group killed, one whose grading
process dies gets an error for its row only; either way the next submission
gets a fresh process; one killed from outside (SIGKILL, SIGTERM: the
machine, not the grader) is re-run once. Results appear atomically (a rerun
skips them, except those a grader problem touched: ``grader_problems``);
Ctrl-C kills the grading processes and keeps what is written.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from autograder.instructor.grade_one import DEFAULT_GRADER
from autograder.repo import REPO as ROOT

# Wall seconds one whole submission may take before its grading process is
# killed: a last resort against a grader that hangs. The engine ends every
# question itself, on the submission's CPU time with a wall backstop 5x larger
# (GradingConfig.backstop), so this must sit above the sum of those backstops
# that a correct submission can reach on a loaded machine: hw3's 3.6 alone
# has a 240 s budget (a naive-loop convolution uses ~100 s of CPU, which is
# 500 s of wall clock when 5 processes share a core). 600 s stopped it there.
SUBMISSION_TIMEOUT = 3600.0


@dataclass
class Job:
    """One submission to grade; its results.json goes to ``results_path``."""

    id: str
    submission: Path
    results_path: Path
    problem: str | None = None  # known not gradable (empty, unreadable): reported, never run


@dataclass
class Outcome:
    """What became of a job: ``results`` (the results.json dict) or ``error`` (one line)."""

    id: str
    results: dict | None = None
    error: str | None = None
    seconds: float = 0.0
    reused: bool = False  # results.json was already there (a resumed run)


def grader_problems(results: dict | None) -> list[str]:
    """Numbers of the tests of ``results`` that a grader problem touched (tag ``GRADER_PROBLEM_TAG``).

    Such a results.json is provisional: the row is marked ``retry`` and a rerun grades it again.
    """
    from autograder.grading.config import GRADER_PROBLEM_TAG

    tests = results.get("tests") if isinstance(results, dict) else None
    return [str(t.get("number", "")) for t in tests or []
            if isinstance(t, dict) and GRADER_PROBLEM_TAG in (t.get("tags") or [])]


def load_results(path: Path) -> dict | None:
    """A previously written results.json, or None when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "tests" in data else None


class _Runner:
    """One long-lived ``grade_one`` process, used by one thread at a time."""

    def __init__(self, argv: list[str], env: dict, log_dir: Path):
        self.argv, self.env, self.log_dir = argv, env, log_dir
        self.proc: subprocess.Popen | None = None
        self.log = None
        self.done = 0  # submissions graded by the current process

    def start(self) -> subprocess.Popen:
        if self.log is not None:
            self.log.close()  # the previous process's stderr: its failure was already reported
        self.log = tempfile.TemporaryFile(dir=self.log_dir)
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     env=self.env, start_new_session=True)
        self.done = 0
        return self.proc

    def stderr_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        lines = [line for line in self.log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        return lines[-1].strip()[:300] if lines else ""

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the process and everything it started
            except ProcessLookupError:
                pass
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass


def _read_line(fd: int, deadline: float) -> bytes | None:
    """One line from ``fd`` before ``deadline`` (b"" at end of file), or None on timeout."""
    data = b""
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return b""
        data += chunk
    return data


# Signals nobody in the grading process sends itself: a death by one was the machine (OOM killer, an operator).
_EXTERNAL_SIGNALS = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT})


class Grader:
    """Grades jobs in long-lived ``grade_one`` processes, one per thread, restarted after any failure.

    Inputs:
    - homework, reference: folders as made by ``autograder.repo.homework_from_repo``
    - grader: ``module:function`` with grade_submission's signature
    - timeout: seconds for one whole submission before its process group is killed
    - pythonpath: extra import roots for the child (e.g. where a test's fake grader lives)
    - recycle: start a fresh process after this many submissions (bounds any leak in the grader)
    """

    def __init__(self, homework: Path, reference: Path, grader: str = DEFAULT_GRADER,
                 timeout: float = SUBMISSION_TIMEOUT, pythonpath: tuple[Path, ...] = (), recycle: int = 50):
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
        self.homework, self.reference = Path(homework), Path(reference)
        self.grader, self.timeout, self.recycle = grader, timeout, recycle
        paths = [str(p) for p in pythonpath] + [str(ROOT)]
        if os.environ.get("PYTHONPATH"):
            paths.append(os.environ["PYTHONPATH"])
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}
        self.argv = [sys.executable, "-m", "autograder.instructor.grade_one", grader,
                     str(self.homework), str(self.reference)]
        self._local = threading.local()
        self._runners: list[_Runner] = []
        self._lock = threading.Lock()
        self._logs = tempfile.TemporaryDirectory(prefix="nnkit-grader-logs-")
        self.stopping = False

    def _runner(self) -> _Runner:
        runner = getattr(self._local, "runner", None)
        if runner is None:
            runner = self._local.runner = _Runner(self.argv, self.env, Path(self._logs.name))
            with self._lock:
                self._runners.append(runner)
        return runner

    def run(self, job: Job, retried: bool = False) -> Outcome:
        """Grade ``job`` in this thread's grading process; re-run once if that process was killed from outside."""
        start = time.monotonic()
        if job.problem:
            return Outcome(job.id, error=job.problem)
        if self.stopping:
            return Outcome(job.id, error="interrupted")
        runner = self._runner()
        if runner.proc is None or runner.proc.poll() is not None or runner.done >= self.recycle:
            runner.kill()
            runner.start()
        request = json.dumps({"submission": str(job.submission), "out": str(job.results_path)}) + "\n"
        try:
            runner.proc.stdin.write(request.encode())
            runner.proc.stdin.flush()
            line = _read_line(runner.proc.stdout.fileno(), start + self.timeout)
        except (OSError, ValueError, AttributeError):  # the pipe or process went away (Ctrl-C: stop())
            line = b""
        if line is None:
            runner.kill()
            error = f"grading took longer than {self.timeout:g} s and was stopped"
        elif not line:
            code = runner.proc.wait() if runner.proc else None
            error = "interrupted" if self.stopping else self._died(code, runner.stderr_tail())
            runner.kill()
            if not self.stopping and not retried and code is not None and -code in _EXTERNAL_SIGNALS:
                # killed from outside (we kill only on a timeout or Ctrl-C): the machine's fault, once more
                return self.run(job, retried=True)
        else:
            runner.done += 1
            try:
                reply = json.loads(line)
                error = None if reply["ok"] else str(reply.get("error") or "the grader failed")
            except (ValueError, KeyError, TypeError):
                runner.kill()
                error = f"the grading process answered garbage: {line[:100]!r}"
        seconds = time.monotonic() - start
        if error is None:
            results = load_results(job.results_path)
            if results is None:
                return Outcome(job.id, error="the grader reported success but wrote no valid results.json", seconds=seconds)
            return Outcome(job.id, results=results, seconds=seconds)
        return Outcome(job.id, error=error, seconds=seconds)

    @staticmethod
    def _died(code: int | None, tail: str) -> str:
        if code is not None and code < 0:
            what = f"killed by signal {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"signal {-code}"
        else:
            what = f"exit status {code}"
        return f"the grading process died ({what})" + (f": {tail}" if tail else "")

    def stop(self) -> None:
        """Kill every grading process (Ctrl-C); jobs not started yet return 'interrupted'."""
        self.stopping = True
        with self._lock:
            for runner in self._runners:
                runner.kill()

    def close(self) -> None:
        """End the grading processes (their stdin closes, they exit); the Grader can be used again."""
        with self._lock:
            runners, self._runners = self._runners, []
        for runner in runners:
            if runner.proc is not None:
                try:
                    runner.proc.stdin.close()
                    runner.proc.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                runner.kill()
        self._local = threading.local()


def grade_all(jobs: list[Job], grader: Grader, workers: int | None = None,
              progress: bool = True, desc: str = "grading") -> list[Outcome]:
    """Grade ``jobs`` with ``workers`` parallel processes; outcomes in the order of ``jobs``.

    A job whose results.json already exists is not graded again (``reused``).
    On KeyboardInterrupt the children are killed and the interrupt propagates;
    every results.json written so far stays.
    """
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"jobs must be >= 1, got {workers}")
    outcomes: dict[str, Outcome] = {}
    todo = []
    for job in jobs:
        previous = None if job.problem else load_results(job.results_path)
        if previous is not None and not grader_problems(previous):   # a grader problem's row: graded again
            outcomes[job.id] = Outcome(job.id, results=previous, reused=True)
        else:
            todo.append(job)
    bar = tqdm(total=len(jobs), initial=len(jobs) - len(todo), desc=desc, unit="sub",
               disable=not progress, file=sys.stderr)
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {pool.submit(grader.run, job): job for job in todo}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.id] = outcome
            bar.update(1)
    except BaseException:
        grader.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        grader.close()
        raise
    pool.shutdown(wait=True)
    bar.close()
    grader.close()
    return [outcomes[job.id] for job in jobs]
